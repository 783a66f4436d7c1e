/** The SCIM service the tests publish to (it lives in src/bench, which measures against it too). */
export * from '../../src/bench/scim-server.js';

import { afterAll, beforeAll, beforeEach } from '@jest/globals';
import { clearStore, startProxy, startScimServer, type Proxy } from '../../src/bench/scim-server.js';

/**
 * A scimmy service on 127.0.0.1 behind the fault-injecting proxy, for the tests of one file: started
 * before them, stopped after them, emptied and its faults cleared before each. Returns the proxy
 * (the address to publish to, its log and its faults) and the service behind it, valid from the first
 * test on.
 */
export function useScimService(token: string): { readonly proxy: Proxy; readonly server: { port: number; url: string } } {
  let server: Awaited<ReturnType<typeof startScimServer>>;
  let proxy: Proxy;
  beforeAll(async () => {
    server = await startScimServer(token);
    proxy = await startProxy(server.port);
  });
  afterAll(async () => {
    await proxy.close();
    await server.close();
  });
  beforeEach(() => {
    clearStore();
    proxy.log = [];
    proxy.fault = () => undefined;
    proxy.onRequest = () => {};
    proxy.delayMs = 0;
    proxy.gate = undefined;
  });
  return {
    get proxy() {
      return proxy;
    },
    get server() {
      return server;
    },
  };
}
