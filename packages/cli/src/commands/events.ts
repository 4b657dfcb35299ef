/** `opstrails events list|get|tail`: reading the timeline of the key's organization. */
import type { Command } from 'commander';
import { registerEventsGet } from './events-get.js';
import { registerEventsList } from './events-list.js';
import { registerEventsTail } from './events-tail.js';

export function registerEvents(program: Command): void {
  const events = program
    .command('events')
    .description('Query the timeline: list with filters, get one event, or follow new events live.')
    .addHelpText('after', '\nExample:\n  $ opstrails events list --from -24h --subject PRODUCTION');
  registerEventsList(events);
  registerEventsGet(events);
  registerEventsTail(events);
}
