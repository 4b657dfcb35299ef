// Marks dist/cjs as CommonJS: the package is "type": "module", so without this Node would read the
// CommonJS build as ESM. Run by the root `npm run build` after `tsc --build`.
import { mkdirSync, writeFileSync } from 'node:fs';

const dir = new URL('../dist/cjs/', import.meta.url);
mkdirSync(dir, { recursive: true });
writeFileSync(new URL('package.json', dir), '{ "type": "commonjs" }\n');
