export { buildProgram, run } from './program.js';
