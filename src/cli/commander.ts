/**
 * commander with the types of @commander-js/extra-typings, which infer each option's and argument's type
 * from its declaration (`.option('--limit <n>', …, intArg(…))` gives the action `limit?: number`). Only
 * the types come from that package: its classes are commander's own (as its own runtime re-exports them),
 * so the CLI imports commander through this module and starts without loading a wrapper.
 */
import * as commander from 'commander';
import type * as typed from '@commander-js/extra-typings';

const lib = commander as unknown as typeof typed;

export const { Command, CommanderError, Help, InvalidArgumentError } = lib;
export type { CommandUnknownOpts, Option } from '@commander-js/extra-typings';
