import { AppError, createUserToken, parseExpiryDays } from '../server/main.js';
import { fail, type Command } from './command.js';
import { failWith, loadConfig } from './server-errors.js';

const SCOPES = ['read', 'trade', 'admin'] as const;

/** `pulse token create`: mints an API token for a user and prints it once. */
export const tokenCommand: Command = {
  name: 'token',
  summary: 'Create an API token: pulse token create --email … --scope read|trade|admin [--expires 30d]',
  usage: [
    'Usage: pulse token create --email EMAIL --scope read|trade|admin [--expires 30d] [--name NAME]',
    '',
    'Prints the new token (pulse_…) on stdout. It is shown this once: Pulse keeps only its SHA-256.',
    'Send it as `Authorization: Bearer <token>`. --expires is 1d–365d (default 90d).',
  ].join('\n'),
  options: {
    email: { type: 'string' },
    scope: { type: 'string' },
    expires: { type: 'string' },
    name: { type: 'string' },
  },
  allowPositionals: true,
  async run(values, env, positionals) {
    if (positionals[0] !== 'create' || positionals.length !== 1)
      return fail("token: expected the subcommand 'create'; run `pulse token --help`");
    const { email, scope } = values;
    if (typeof email !== 'string') return fail('token create: --email is required');
    if (typeof scope !== 'string' || !SCOPES.includes(scope as (typeof SCOPES)[number]))
      return fail(`token create: --scope must be one of ${SCOPES.join(', ')}`);
    const days = parseExpiryDays(typeof values.expires === 'string' ? values.expires : '90d');
    if (days === undefined) return fail('token create: --expires must be 1d to 365d, such as 30d');
    const config = loadConfig(env);
    if (typeof config === 'number') return config;
    try {
      const name = typeof values.name === 'string' ? values.name : 'command line';
      const created = await createUserToken(config, {
        email,
        scope: scope as (typeof SCOPES)[number],
        expiresInDays: days,
        name,
      });
      process.stdout.write(`${created.token}\n`);
      process.stderr.write(
        `token ${created.id} expires ${created.expiresAt ?? 'never'}; it will not be shown again\n`,
      );
      return 0;
    } catch (error) {
      if (error instanceof AppError) return fail(`token create: ${error.message}`);
      return failWith(error);
    }
  },
};
