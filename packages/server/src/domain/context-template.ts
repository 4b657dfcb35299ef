/**
 * What an organization without business context sees: the example from the getting-started
 * guide, marked as a template, so the reader (person or model) knows what to write and that
 * this text does not describe their organization yet.
 */
export const CONTEXT_TEMPLATE_MARKER = 'TEMPLATE — replace this text with your own business context.';

export const CONTEXT_TEMPLATE = `${CONTEXT_TEMPLATE_MARKER}
It is an example (a fictional e-commerce company) showing what to write: what the organization
does, what each subject, source and type means, severity conventions and rules such as deploy
windows. Set yours with: opstrails context set --file context.txt (or PUT /api/v1/context).

We are an e-commerce company operating two brands: ShopMax and BuyFast.

ENVIRONMENTS:
Each brand has its own environment ladder. Environment subjects follow the
pattern BRAND-ENVIRONMENT:
- SHOPMAX-PRODUCTION — live customer-facing environment for ShopMax
- SHOPMAX-STAGING — pre-production testing for ShopMax
- SHOPMAX-DEVELOPMENT — development environment for ShopMax
- BUYFAST-PRODUCTION — live customer-facing environment for BuyFast
- BUYFAST-STAGING — pre-production testing for BuyFast
- BUYFAST-DEVELOPMENT — development environment for BuyFast

A deployment to any PRODUCTION environment is considered a release.

SOURCES:
- FE — frontend React application (Next.js), serves the storefront
- BE — backend API service (Node.js), handles orders, payments, inventory
- DB — PostgreSQL database, shared across brands
- CACHE — Cloudflare edge cache, handles product pages and static assets
- CMS — headless CMS (Contentful), manages product descriptions and pages
- WORKER — background job processor, handles email, inventory sync, reports

TYPES:
- deployment — code deployed to an environment
- rollback — a deployment that was reverted
- db-migration — database schema change applied
- cache-purge — CDN/edge cache invalidated
- content-publish — content updated via CMS
- config-change — environment variables or feature flags updated
- incident — an incident was opened or resolved (check data.description)

SEVERITY:
We mark production deployments as MAJOR by default. Hotfixes and incidents
are CRITICAL. Everything else is LOW or MINOR.

NOTES:
- BE and DB deployments are tightly coupled — a backend deployment often
  includes a database migration. If you see issues after a BE deployment,
  check for a recent DB event as well.
- We deploy to staging before production. A missing staging deployment
  before a production deployment is unusual and worth flagging.
- Deployments happen during business hours (9:00–18:00 CET) on weekdays.
  Anything outside that window is either a hotfix or an incident response.
`;

/** The stored context, or the template when none was written (with `isTemplate` saying which). */
export function contextOrTemplate(context: string | null): { context: string; isTemplate: boolean } {
  return context && context.trim().length > 0
    ? { context, isTemplate: false }
    : { context: CONTEXT_TEMPLATE, isTemplate: true };
}

/** Line endings and trailing spaces a text area or a file adds do not make the template edited. */
function normalized(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .trim();
}

const TEMPLATE_NORMALIZED = normalized(CONTEXT_TEMPLATE);

/**
 * Why a text may not be saved as the business context, or undefined: the template unedited (it
 * would read to the assistant as the organization's real context), or text still carrying the
 * template's marker line (which tells readers it is only an example).
 */
export function templateProblem(context: string): string | undefined {
  if (normalized(context) === TEMPLATE_NORMALIZED) {
    return 'is the unedited template (the example company ShopMax and BuyFast), which would read to the assistant as your organization; write your own: what your organization does, what each subject, source and type means, your severity conventions and rules such as deploy windows';
  }
  if (context.includes(CONTEXT_TEMPLATE_MARKER)) {
    return `still contains the template's first line ("${CONTEXT_TEMPLATE_MARKER}"); delete that line once the text describes your organization`;
  }
  return undefined;
}
