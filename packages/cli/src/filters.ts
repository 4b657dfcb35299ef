/** The event filter flags shared by `events list`, `events tail` and `export`. */
import { SEVERITIES, type Severity } from '@opstrails/core';
import type { EventQueryParams } from '@opstrails/sdk';
import type { Command } from 'commander';

export interface FilterFlags {
  from?: string;
  to?: string;
  type: string[];
  source: string[];
  subject: string[];
  severity: string[];
  search?: string;
  correlationid: string[];
  causationid: string[];
  timezone?: string;
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function addFilterOptions(command: Command, withRange = true): Command {
  if (withRange) {
    command
      .option('--from <time>', 'from this time: ISO 8601 or relative (-2h, -7d, -30m)')
      .option('--to <time>', 'up to this time: ISO 8601 or relative (default now)');
  }
  return command
    .option('--type <type>', 'only this type, in any case (repeat for several)', collect, [])
    .option('--source <source>', 'only this source, in any case (repeat for several)', collect, [])
    .option(
      '--subject <subject>',
      'only this subject / environment, in any case (repeat for several)',
      collect,
      [],
    )
    .option('--severity <severity>', `only this severity: ${SEVERITIES.join(', ')} (repeat)`, collect, [])
    .option('--search <text>', 'free text over type, source, subject, version and description')
    .option('--correlationid <id>', 'only events with this correlationid extension (repeat)', collect, [])
    .option('--causationid <id>', 'only events with this causationid extension (repeat)', collect, [])
    .option('--timezone <zone>', 'IANA zone for --from/--to datetimes without an offset');
}

export function filtersFrom(flags: FilterFlags): Omit<EventQueryParams, 'limit' | 'cursor'> {
  const list = (values: string[]) => (values.length > 0 ? values : undefined);
  return {
    from: flags.from,
    to: flags.to,
    type: list(flags.type),
    source: list(flags.source),
    subject: list(flags.subject),
    severity: list(flags.severity.map((s) => s.toUpperCase())) as Severity[] | undefined,
    search: flags.search,
    correlationid: list(flags.correlationid),
    causationid: list(flags.causationid),
    timezone: flags.timezone,
  };
}
