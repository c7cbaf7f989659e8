import fs from 'node:fs';
import path from 'node:path';
import { renderErrorsDoc } from '../../contracts/errors-doc.js';

const target = path.resolve(import.meta.dirname, '../../docs/errors.md');
fs.writeFileSync(target, renderErrorsDoc());
process.stdout.write(`wrote ${path.relative(process.cwd(), target)}\n`);
