/**
 * What each analytics provider needs in Settings → Analytics: its fields (the config the server
 * takes, extended API section 2), which are secrets, and where the user finds each credential.
 */
export interface ProviderField {
  /** The config field it fills. */
  name: string;
  label: string;
  secret?: boolean;
  optional?: boolean;
  placeholder?: string;
  /** A fixed set of values, shown as a select (the first is the default). */
  options?: string[];
  /** Many lines (a JSON key), sent parsed. */
  multiline?: boolean;
  /** Where the value comes from, linked beside the field. */
  help?: { text: string; url: string };
}

export interface ProviderForm {
  provider: string;
  label: string;
  fields: ProviderField[];
}

export const PROVIDER_FORMS: ProviderForm[] = [
  {
    provider: 'prometheus',
    label: 'Prometheus',
    fields: [
      { name: 'url', label: 'Prometheus URL', placeholder: 'http://prometheus.internal:9090' },
      { name: 'bearerToken', label: 'Bearer token (optional)', secret: true, optional: true },
    ],
  },
  {
    provider: 'datadog',
    label: 'Datadog',
    fields: [
      {
        name: 'site',
        label: 'Datadog site',
        options: [
          'datadoghq.com',
          'us3.datadoghq.com',
          'us5.datadoghq.com',
          'datadoghq.eu',
          'ap1.datadoghq.com',
          'ddog-gov.com',
        ],
        help: { text: 'Which site?', url: 'https://docs.datadoghq.com/getting_started/site/' },
      },
      {
        name: 'apiKey',
        label: 'API key',
        secret: true,
        help: {
          text: 'Organization Settings → API Keys',
          url: 'https://app.datadoghq.com/organization-settings/api-keys',
        },
      },
      {
        name: 'appKey',
        label: 'Application key (timeseries_query scope)',
        secret: true,
        help: {
          text: 'Organization Settings → Application Keys',
          url: 'https://app.datadoghq.com/organization-settings/application-keys',
        },
      },
    ],
  },
  {
    provider: 'sentry',
    label: 'Sentry',
    fields: [
      {
        name: 'authToken',
        label: 'Auth token (org:read, project:read)',
        secret: true,
        help: {
          text: 'Settings → Auth Tokens',
          url: 'https://sentry.io/orgredirect/organizations/:orgslug/settings/auth-tokens/',
        },
      },
      { name: 'organization', label: 'Organization slug', placeholder: 'acme' },
      {
        name: 'url',
        label: 'Sentry URL (optional, self-hosted)',
        optional: true,
        placeholder: 'https://sentry.io',
      },
      {
        name: 'project',
        label: 'Project id (optional)',
        optional: true,
        help: {
          text: 'Project Settings → General',
          url: 'https://docs.sentry.io/concepts/key-terms/key-terms/',
        },
      },
    ],
  },
  {
    provider: 'newrelic',
    label: 'New Relic',
    fields: [
      {
        name: 'apiKey',
        label: 'User key (NRAK-…)',
        secret: true,
        help: { text: 'API keys → Create a key → User', url: 'https://one.newrelic.com/api-keys' },
      },
      {
        name: 'accountId',
        label: 'Account id',
        help: {
          text: 'Finding your account id',
          url: 'https://docs.newrelic.com/docs/accounts/accounts-billing/account-structure/account-id/',
        },
      },
      { name: 'region', label: 'Region', options: ['US', 'EU'] },
    ],
  },
  {
    provider: 'ga4',
    label: 'Google Analytics 4',
    fields: [
      {
        name: 'propertyId',
        label: 'Property id',
        help: {
          text: 'Admin → Property details',
          url: 'https://developers.google.com/analytics/devguides/reporting/data/v1/property-id',
        },
      },
      {
        name: 'serviceAccount',
        label: 'Service account JSON key',
        secret: true,
        multiline: true,
        help: {
          text: 'IAM → Service accounts → Keys → Add key (JSON); add its email as a Viewer of the property',
          url: 'https://console.cloud.google.com/iam-admin/serviceaccounts',
        },
      },
    ],
  },
  {
    provider: 'adobe',
    label: 'Adobe Analytics',
    fields: [
      {
        name: 'clientId',
        label: 'Client id',
        help: {
          text: 'Developer Console → project → OAuth Server-to-Server credential',
          url: 'https://developer.adobe.com/console/projects',
        },
      },
      { name: 'clientSecret', label: 'Client secret', secret: true },
      { name: 'orgId', label: 'Organization id (…@AdobeOrg)' },
      {
        name: 'companyId',
        label: 'Global company id',
        help: {
          text: 'GET /discovery/me',
          url: 'https://developer.adobe.com/analytics-apis/docs/2.0/guides/endpoints/discovery/',
        },
      },
      { name: 'reportSuiteId', label: 'Report suite id' },
      { name: 'timeZone', label: 'Report suite time zone (optional)', optional: true, placeholder: 'UTC' },
    ],
  },
];

/** The config to send: blank optional fields left out, a JSON key sent parsed when it parses. */
export function configOf(form: ProviderForm, values: Record<string, string>): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  for (const f of form.fields) {
    const v = (values[f.name] ?? (f.options ? f.options[0] : '') ?? '').trim();
    if (v === '' && f.optional) continue;
    if (f.multiline) {
      try {
        config[f.name] = JSON.parse(v);
      } catch {
        config[f.name] = v;
      }
    } else config[f.name] = v;
  }
  return config;
}
