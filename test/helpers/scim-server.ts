/** The SCIM service the tests publish to (it lives in src/bench, which measures against it too). */
export * from '../../src/bench/scim-server.js';
