// Recipe: a Next.js App Router route handler, app/api/embed/identity/route.ts. The handler is built
// at the first request, not when the module loads, so `next build` passes without the secrets.
// OPTIONS is exported so that the handler answers the CORS preflight itself (with its headers).
import { identityHandler } from '../identity.js';

export const dynamic = 'force-dynamic';

export function POST(request: Request): Promise<Response> {
  return identityHandler()(request);
}
export { POST as OPTIONS, POST as GET };
