/** Entry point of the GitHub Action (bundled into dist/index.js, which the runner starts). */
import { trackEvent } from './track-event.js';

await trackEvent(process.env);
