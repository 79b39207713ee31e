// The zod the program's schemas are written with: zod/mini, the same checks and the same issues as
// `zod` behind functions instead of methods, which a tablet loads and builds in a fraction of the
// time. It starts with no messages of its own; these are zod's English ones, as `zod` sets them.
import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';

z.config(en());

export { z };
