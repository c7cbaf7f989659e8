import { AppError, createUserAccount } from '../server/main.js';
import { fail, type Command } from './command.js';
import { failWith, loadConfig } from './server-errors.js';

const ROLES = ['owner', 'admin', 'trader', 'viewer'] as const;

/** `pulse user create`: adds a user from the command line (e.g. the owner of a headless install). */
export const userCommand: Command = {
  name: 'user',
  summary: 'Create a user: pulse user create --email … --password … [--role trader]',
  usage: [
    'Usage: pulse user create --email EMAIL --password PASSWORD [--role owner|admin|trader|viewer]',
    '',
    'Creates a user in the configured database (default role: trader). The password must pass the',
    'password policy (12+ characters, not common, not built on the e-mail). Prints the user as JSON.',
  ].join('\n'),
  options: { email: { type: 'string' }, password: { type: 'string' }, role: { type: 'string' } },
  allowPositionals: true,
  async run(values, env, positionals) {
    if (positionals[0] !== 'create' || positionals.length !== 1)
      return fail("user: expected the subcommand 'create'; run `pulse user --help`");
    const { email, password } = values;
    const role = values.role ?? 'trader';
    if (typeof email !== 'string' || typeof password !== 'string')
      return fail('user create: --email and --password are required');
    if (typeof role !== 'string' || !ROLES.includes(role as (typeof ROLES)[number]))
      return fail(`user create: --role must be one of ${ROLES.join(', ')}`);
    const config = loadConfig(env);
    if (typeof config === 'number') return config;
    try {
      const user = await createUserAccount(config, { email, password, role: role as (typeof ROLES)[number] });
      process.stdout.write(`${JSON.stringify(user)}\n`);
      return 0;
    } catch (error) {
      if (error instanceof AppError) return fail(`user create: ${error.message}`);
      if (error instanceof Error && error.name === 'ZodError')
        return fail(`user create: --email is not a valid e-mail address`);
      return failWith(error);
    }
  },
};
