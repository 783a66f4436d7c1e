/**
 * A stored change detail as a person reads it. Details are stored in English, made from the closed set
 * of templates in src/engine/describe.ts; the command line reads them back into their template and writes
 * them in the reader's language, through this module rather than the engine itself.
 */
export { localizeDetail, parseDetail, type DetailLanguage } from '../engine/describe.js';
