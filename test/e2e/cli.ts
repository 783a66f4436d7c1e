/** The e2e tests' name for the test hubs; everything lives in ../helpers/hub.ts. */
export * from '../helpers/hub.js';
