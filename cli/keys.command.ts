import { rotateKeys } from '../server/main.js';
import { fail, type Command } from './command.js';
import { failWith, loadConfig } from './server-errors.js';

/** `pulse keys rotate`: re-wraps every secret's data key under a new master key. */
export const keysCommand: Command = {
  name: 'keys',
  summary: 'Rotate the master key that wraps broker keys and TOTP secrets',
  usage: [
    'Usage: pulse keys rotate',
    '',
    'Generates a new master key and re-wraps every data key under it in one transaction (the',
    'secrets themselves are not decrypted). Stop the server first. With DATA_DIR/master.key the new',
    'key replaces it; with PULSE_MASTER_KEY the new key is written to DATA_DIR/master.key.next and',
    'you set PULSE_MASTER_KEY to its contents, restart, then delete the file.',
  ].join('\n'),
  options: {},
  allowPositionals: true,
  async run(_values, env, positionals) {
    if (positionals[0] !== 'rotate' || positionals.length !== 1)
      return fail("keys: expected the subcommand 'rotate'; run `pulse keys --help`");
    const config = loadConfig(env);
    if (typeof config === 'number') return config;
    try {
      const report = await rotateKeys(config);
      process.stdout.write(`${JSON.stringify(report)}\n`);
      process.stderr.write(
        report.source === 'file'
          ? `re-wrapped ${report.rewrapped} secret(s); the new master key is in ${report.keyFile} (mode 0600); the old key was replaced\n`
          : `re-wrapped ${report.rewrapped} secret(s); set PULSE_MASTER_KEY to the contents of ${report.keyFile}, restart, then delete that file\n`,
      );
      return 0;
    } catch (error) {
      return failWith(error);
    }
  },
};
