// Size limits of the sync protocol, free of any validation library so the extension's
// background can import them without bundling zod (DESIGN.md "Sync protocol").
export const PUSH_MAX_MUTATIONS = 50;
export const PUSH_MAX_BYTES = 1024 * 1024;
export const PULL_DEFAULT_LIMIT = 500;
export const PULL_MAX_LIMIT = 1000;
