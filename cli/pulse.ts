import { parseArgs } from 'node:util';
import { commands } from './commands.js';

const HELP = `pulse — self-hostable trading platform

Usage: pulse <command> [options]

Commands:
${commands.map((c) => `  ${c.name.padEnd(12)}${c.summary}`).join('\n')}

Run \`pulse <command> --help\` for a command's options.
Configuration comes from environment variables; see README.md "Configuration".`;

/** Runs the `pulse` command line; resolves to the process exit code. */
export async function main(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${HELP}\n`);
    return name === undefined ? 1 : 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`pulse: unknown command '${name}'. Run \`pulse --help\` for the list.\n`);
    return 2;
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...rest],
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: command.allowPositionals ?? false,
    });
  } catch (error) {
    process.stderr.write(`pulse ${name}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  if (parsed.values.help) {
    process.stdout.write(`${command.usage}\n`);
    return 0;
  }
  return command.run(parsed.values, env, parsed.positionals);
}

// `serve` never resolves: it runs until a signal. Other commands exit when done, open handles or not.
process.exit(await main(process.argv.slice(2), process.env));
