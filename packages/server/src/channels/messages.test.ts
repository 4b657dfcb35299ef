/**
 * Messages are built from what events say, and events come from anyone holding a READ_WRITE key:
 * a source or description carrying chat markup (`<!channel>`, `<users/all>`, HTML) must reach
 * people as text, never as a mention or markup. And each message says what happened, which rule,
 * the event and where to look.
 */
import { describe, expect, it } from 'vitest';
import { mailHtml } from './email.js';
import { chatMessage } from './google-chat.js';
import type { Notification } from './notification.js';
import { plainText } from './notification.js';
import { slackMessage } from './slack.js';
import { webhookBody } from './webhook.js';

/** Every `text` of a Slack `mrkdwn` object in the blocks. */
function mrkdwnTexts(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(mrkdwnTexts);
  if (!value || typeof value !== 'object') return [];
  const o = value as Record<string, unknown>;
  const own = o.type === 'mrkdwn' && typeof o.text === 'string' ? [o.text] : [];
  return [...own, ...Object.values(o).flatMap(mrkdwnTexts)];
}

const hostile = '<!channel> <users/all> <img src=x onerror=alert(1)> & co';

const violation: Notification = {
  kind: 'guardrail.violation',
  title: `Change freeze broken: ${hostile}`,
  text: `deployment of ${hostile} during the freeze`,
  organization: { id: 'org_1', name: 'Acme' },
  timestamp: '2026-12-25T14:30:05Z',
  event: {
    id: 'e1',
    type: 'deployment',
    source: hostile,
    subject: 'PRODUCTION',
    version: 'v1',
    severity: 'MAJOR',
    time: '2026-12-25T14:30:00Z',
    description: hostile,
    link: 'https://ops.example.com/?source=x',
  },
  guardrail: {
    guardrailType: 'change-freeze',
    guardrailId: 'g1',
    guardrailName: 'Holiday Freeze',
    ruleType: 'FREEZE',
    reason: 'in the freeze',
  },
  link: 'https://ops.example.com/?source=x',
};

describe('channel messages', () => {
  it('Slack: no raw mention or markup in any text Slack parses (the fallback and every mrkdwn)', () => {
    const message = slackMessage(violation);
    const parsed = [String(message.text), ...mrkdwnTexts(message.blocks)];
    expect(parsed.length).toBeGreaterThan(3);
    for (const text of parsed) {
      expect(text).not.toContain('<!channel>');
      expect(text).not.toContain('<img');
    }
    expect(parsed.join('\n')).toContain('&lt;!channel&gt;');
  });

  it('Google Chat: no raw mention or markup in the text or the formatted widgets (the header is plain text)', () => {
    const message = chatMessage(violation, 'key') as {
      text: string;
      cardsV2: { card: { sections: { widgets: unknown[] }[] } }[];
    };
    const formatted = JSON.stringify([message.text, message.cardsV2[0]?.card.sections]);
    expect(formatted).not.toContain('<users/all>');
    expect(formatted).not.toContain('<img');
  });

  it('email HTML escapes what the event says', () => {
    const html = mailHtml(violation);
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('the plain text says what happened, which rule, the event and the link', () => {
    const text = plainText(violation);
    expect(text).toContain('Change freeze broken');
    expect(text).toContain('Freeze: Holiday Freeze');
    expect(text).toContain('Rule: FREEZE');
    expect(text).toContain('Event: deployment of');
    expect(text).toContain('Open in OpsTrails: https://ops.example.com/?source=x');
  });

  it('the webhook body of a violation has exactly the contract’s fields', () => {
    expect(Object.keys(webhookBody(violation)).sort()).toEqual(
      ['guardrailName', 'guardrailType', 'organization', 'timestamp', 'type', 'violation'].sort(),
    );
  });
});
