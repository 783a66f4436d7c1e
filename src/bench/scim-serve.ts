/**
 * The bench's SCIM service in its own process, so that the client's CPU time and the service's are
 * measured apart: started with fork(); tells its port, answers 'stats' with its CPU time, ends on 'stop'.
 */
import { startScimServer } from './scim-server.js';

const server = await startScimServer(process.argv[2] ?? 'bench-token');
const cpu0 = process.cpuUsage();
process.send!({ port: server.port, url: server.url });
process.on('message', (m: string) => {
  if (m === 'stats') {
    const c = process.cpuUsage(cpu0);
    process.send!({ cpuSeconds: (c.user + c.system) / 1e6 });
  } else if (m === 'stop') void server.close().then(() => process.exit(0));
});
