// Size limits of the sync protocol, free of any validation library so the extension's
// background can import them without bundling zod (DESIGN.md "Sync protocol").
export { PULL_DEFAULT_LIMIT, PULL_MAX_LIMIT, PUSH_MAX_BYTES, PUSH_MAX_MUTATIONS } from './vocabulary.ts';
