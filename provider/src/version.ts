/** The provider's version, from its package.json (one source for the User-Agent and the docs). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const PROVIDER_VERSION: string = (require('../package.json') as { version: string }).version;
