/**
 * Ingest with guardrails configured against none (issue 11, item 7; target: at least 90%): a
 * server process (SQLite, from the sources, every built-in consumer running) takes single-event
 * POSTs from autocannon (10 connections, 10 s) of a realistic mix (deployments, rollbacks,
 * incidents and config changes from 10 sources to 5 subjects), once with no guardrail and once
 * with 25 deployment policies (all six rule types, most on the busiest subjects) and 25 freeze
 * windows (one-off and recurring, some active now), alternately, twice each, in one run. After
 * each run the guardrails consumer must have judged every event (its cursor at the log's head);
 * how long that took after the load ended is shown too.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { guardrailsConsumer } from '../packages/server/src/reactions/consumers/guardrails.js';
import { GuardrailRepository } from '../packages/server/src/store/guardrails.js';
import { openStore } from '../packages/server/src/store/store.js';
import { fmt, writeSection } from './lib/results.js';

const DURATION_S = 10;
const CONNECTIONS = 10;
const PROGRAM = fileURLToPath(new URL('./lib/guardrails-server.ts', import.meta.url));
const SOURCES = ['BE', 'FE', 'DB', 'CACHE', 'WORKER', 'API', 'AUTH', 'SEARCH', 'BILLING', 'MOBILE'];
const SUBJECTS = ['PRODUCTION', 'STAGING', 'EU-PRODUCTION', 'DEVELOPMENT', 'QA'];
const TYPES = [
  'deployment',
  'deployment',
  'deployment',
  'deployment',
  'deployment',
  'deployment',
  'config-change',
  'config-change',
  'rollback',
  'incident',
];
const HOUR = 3_600_000;

async function seed(repo: GuardrailRepository, orgId: string): Promise<void> {
  const now = Date.now();
  const base = {
    sources: [] as string[],
    types: [] as string[],
    severities: [] as string[],
    notificationChannels: [],
    enabled: true,
  };
  const configs: [string, Record<string, unknown>][] = [
    ['BLOCKED_DAYS', { days: ['SATURDAY', 'SUNDAY'], timezone: 'Europe/Berlin' }],
    ['ALLOWED_HOURS', { startHour: 7, endHour: 20, timezone: 'America/New_York' }],
    ['DAILY_CAP', { maxCount: 20, timezone: 'Europe/Berlin' }],
    ['COOLDOWN', { cooldownMinutes: 30 }],
    ['ROLLBACK_RATE', { threshold: 0.2, windowHours: 24, minDeployments: 5 }],
    ['VELOCITY', { maxCount: 10, windowMinutes: 60 }],
  ];
  for (let i = 0; i < 25; i++) {
    const [ruleType, config] = configs[i % configs.length] as [string, Record<string, unknown>];
    await repo.createPolicy(
      orgId,
      {
        ...base,
        name: `policy ${i}`,
        ruleType: ruleType as never,
        config,
        subjects: [SUBJECTS[i % 3] as string],
        sources: i % 4 === 0 ? [SOURCES[i % SOURCES.length] as string] : [],
      },
      now - HOUR,
    );
  }
  for (let i = 0; i < 25; i++) {
    const recurring = i % 2 === 0;
    await repo.createFreeze(
      orgId,
      {
        ...base,
        name: `freeze ${i}`,
        // A few active now; the rest in the coming weeks; the recurring ones weekly over a year.
        startsAt: recurring ? now - 30 * 24 * HOUR : now + (i % 5 === 0 ? -HOUR : (i + 1) * 24 * HOUR),
        endsAt: recurring ? now + 335 * 24 * HOUR : now + (i % 5 === 0 ? HOUR : (i + 2) * 24 * HOUR),
        subjects: [SUBJECTS[i % 3] as string],
        recurrence: recurring
          ? {
              rrule: `FREQ=WEEKLY;BYDAY=${['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'][i % 7]};BYHOUR=16`,
              duration: 'PT8H',
              timezone: 'Europe/Berlin',
            }
          : null,
      },
      now - HOUR,
    );
  }
}

function start(env: NodeJS.ProcessEnv): Promise<ChildProcess & { url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', PROGRAM], {
      env: {
        ...process.env,
        DATABASE_URL: '',
        OPSTRAILS_LOG_LEVEL: 'warn',
        OPSTRAILS_HOST: '127.0.0.1',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout?.on('data', (c) => {
      out += c;
      const url = /running at (http:\/\/\S+)/.exec(out)?.[1];
      if (url) resolve(Object.assign(child, { url }));
    });
    child.once('exit', (code) => reject(new Error(`guardrails server exited early with ${code}`)));
  });
}

interface Run {
  label: string;
  rps: number;
  p99: number;
  events: number;
  violations: number;
  drainMs: number;
}

async function run(configured: boolean): Promise<Run> {
  const dataDir = mkdtempSync(join(tmpdir(), 'opstrails-bench-guardrails-'));
  try {
    const store = await openStore({ dataDir });
    const org = await store.organizations.ensureDefault();
    const key = (await store.apiKeys.create(org.id, 'bench', 'READ_WRITE')).key;
    if (configured) await seed(new GuardrailRepository(store.db, store.engine), org.id);
    await store.close();
    const server = await start({ OPSTRAILS_DATA_DIR: dataDir });
    let n = 0;
    const result = await autocannon({
      url: `${server.url}/api/v1/events`,
      method: 'POST',
      connections: CONNECTIONS,
      duration: DURATION_S,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      requests: [
        {
          setupRequest(req) {
            n++;
            return {
              ...req,
              body: JSON.stringify({
                specversion: '1.0',
                type: TYPES[n % TYPES.length],
                source: SOURCES[(n * 7) % SOURCES.length],
                subject: SUBJECTS[(n * 3) % SUBJECTS.length],
                time: 'NOW',
              }),
            };
          },
        },
      ],
    });
    const ended = Date.now();
    // Wait for the guardrails consumer to reach the log's head.
    const reader = await openStore({ dataDir });
    let drainMs = Number.NaN;
    let violations = 0;
    try {
      for (let i = 0; i < 1200; i++) {
        const head = await reader.db
          .selectFrom('events')
          .select((eb) => eb.fn.max('seq').as('max'))
          .executeTakeFirst();
        const cursor = await reader.db
          .selectFrom('consumer_cursors')
          .select('seq')
          .where('name', '=', 'guardrails')
          .executeTakeFirst();
        if (cursor && Number(cursor.seq) >= Number(head?.max ?? 0)) {
          drainMs = Date.now() - ended;
          break;
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      const { rows } = await (await import('kysely')).sql<{
        n: number;
      }>`select count(*) as n from guardrail_violations`.execute(reader.db);
      violations = Number(rows[0]?.n ?? 0);
    } finally {
      await reader.close();
    }
    await new Promise<void>((done) => {
      server.once('exit', () => done());
      server.kill('SIGTERM');
    });
    return {
      label: configured ? '25 policies + 25 freeze windows' : 'no guardrails',
      rps: result.requests.average,
      p99: result.latency.p99,
      events: result['2xx'],
      violations,
      drainMs,
    };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * The consumer's own cost, in process: the time `handle` takes per event over 5,000 stored
 * events (batches of 100, each in a transaction as the runner runs it), with and without the
 * guardrails configured. Less noisy than the HTTP runs on a shared machine.
 */
async function handleCost(configured: boolean): Promise<number> {
  const dataDir = mkdtempSync(join(tmpdir(), 'opstrails-bench-guardrails-handle-'));
  const store = await openStore({ dataDir });
  try {
    const org = await store.organizations.ensureDefault();
    if (configured) await seed(new GuardrailRepository(store.db, store.engine), org.id);
    const now = Date.now();
    const events = Array.from({ length: 5_000 }, (_, n) => ({
      id: `e${n}`,
      type: TYPES[n % TYPES.length] as string,
      source: SOURCES[(n * 7) % SOURCES.length] as string,
      subject: SUBJECTS[(n * 3) % SUBJECTS.length] as string,
      severity: null,
      version: null,
      datacontenttype: 'application/json',
      dataschema: null,
      data: null,
      extensions: null,
      size: 200,
      time: now - (5_000 - n) * 1_000,
    }));
    for (let i = 0; i < events.length; i += 1_000)
      await store.events.insert(org.id, events.slice(i, i + 1_000), now);
    const consumer = guardrailsConsumer({ publicUrl: 'http://127.0.0.1' })(store);
    const rows = await store.log.read({ txid: 0, seq: 0 }, 10_000);
    const started = performance.now();
    for (let i = 0; i < rows.length; i += 100) {
      const batch = rows.slice(i, i + 100);
      await store.db.transaction().execute((trx) => consumer.handle(batch, trx));
    }
    return ((performance.now() - started) * 1000) / rows.length;
  } finally {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const loadAtStart = loadavg()[0] ?? 0;
const handleNone = await handleCost(false);
const handleSome = await handleCost(true);
const runs: Run[] = [];
// Interleaved, twice each: the machine's other work drifts; pairs run back to back compare better.
for (const configured of [false, true, false, true]) runs.push(await run(configured));
const mean = (rs: Run[]) => rs.reduce((s, r) => s + r.rps, 0) / rs.length;
const none = mean(runs.filter((r) => r.label === 'no guardrails'));
const some = mean(runs.filter((r) => r.label !== 'no guardrails'));
const ratio = Math.round((some / none) * 100);

writeSection(
  'guardrails',
  `## Guardrails: ingest with 25 policies and 25 freeze windows

\`npm run bench -- guardrails\`: one server process (SQLite, \`synchronous=FULL\`, from the sources, every built-in
consumer running) takes single-event POSTs from autocannon (${CONNECTIONS} connections, ${DURATION_S} s each): deployments (60%),
config changes, rollbacks and incidents from 10 sources to 5 subjects. Configured: 25 deployment policies (the six rule
types in turn, on the three busiest subjects, some narrowed to a source) and 25 freeze windows (half recurring weekly in
Europe/Berlin, a few one-off ones active now). Runs alternate, twice each. "Judged after" is how long after the load
ended the guardrails consumer had judged every stored event (its cursor at the log's head).

| run | requests/s | p99 | events stored | violations recorded | judged after |
| --- | ---: | ---: | ---: | ---: | ---: |
${runs.map((r) => `| ${r.label} | ${fmt(r.rps)} | ${r.p99} ms | ${fmt(r.events)} | ${fmt(r.violations)} | ${Number.isNaN(r.drainMs) ? 'not within 60 s' : `${fmt(r.drainMs)} ms`} |`).join('\n')}

Ratio: **${ratio}%** of the unconfigured rate with 25 policies and 25 windows (target: at least 90%).

The consumer's own cost, in process (5,000 stored events of the same mix, one second apart, so caps and cooldowns are
broken by almost every event: a worst case; judged in batches of 100 in
a transaction each, as the runner does): **${handleNone.toFixed(0)} µs** per event with no guardrails, **${handleSome.toFixed(0)} µs**
with the 25 + 25 (history read once per policy per batch of 100, violations written; when it was read once per
policy per event, before 2026-12-02 06:40, this was 2,302 µs, and 2,012-2,876 µs in A/B runs beside the batched
code's 1,387-1,596 µs, all at load average 12 on 2 cores). At the single-event ingest rates above that is
${((handleSome * Math.max(...runs.map((r) => r.rps))) / 10_000).toFixed(1)}% of one core.
Load average when the run started: ${loadAtStart.toFixed(1)} (other work on the machine shares its 2 cores).`,
);
