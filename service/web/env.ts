// What a web-library request carries: the API's variables plus the cookie session and the current library.
import type { AppEnv } from '../http/env.ts';
import type { LibrarySummary } from '../repos/accounts.ts';
import type { WebSession } from '../repos/sessions.ts';

export interface WebEnv {
  Variables: AppEnv['Variables'] & {
    session: WebSession;
    /** The library of a /l/:lib page (the member's role is in `role`). */
    library: { id: string; name: string; version: number };
    /** Every library the member belongs to, for the switcher. */
    libraries: LibrarySummary[];
  };
}
