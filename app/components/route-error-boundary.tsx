import { GeneralErrorBoundary } from './error-boundary';

/** Every route re-exports this as its ErrorBoundary, so an error keeps the header and footer. */
export function RouteErrorBoundary() {
  return <GeneralErrorBoundary />;
}
