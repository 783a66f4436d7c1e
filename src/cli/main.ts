/**
 * The entry point: parse, run one command, map whatever went wrong to an exit code.
 */
import { CommanderError } from 'commander';
import { BasishubError } from '../errors.js';
import { buildProgram } from './program.js';
import { Runtime, type IO } from './runtime.js';

export async function main(argv: string[], io: IO = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env }): Promise<number> {
  const rt = new Runtime(io, argv.includes('--json'));
  const program = buildProgram(rt);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return rt.exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0;
      const message = err.message.replace(/^error: /, '');
      return rt.out.fail(new BasishubError('USAGE', message.charAt(0).toUpperCase() + message.slice(1), { hint: 'See `basishub --help` or `basishub <command> --help`.' }));
    }
    return rt.out.fail(err);
  } finally {
    rt.close();
  }
}
