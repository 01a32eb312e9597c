import { useQuery } from '@apollo/client/react';
import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { MeDocument, type MeFieldsFragment } from '../gql/graphql';
import { ErrorState, LoadingState } from '../ui/states';
import { loginPath } from './redirect';

/**
 * Renders its children for a signed-in staff member; everyone else goes to sign in and comes back.
 * An owner without two-factor can do nothing but enroll it (the API says so too), so they go there.
 */
export function RequireAuth({ children }: { children: (me: MeFieldsFragment) => ReactNode }) {
  const location = useLocation();
  const { data, loading, error, refetch } = useQuery(MeDocument);
  if (loading && !data) return <LoadingState />;
  if (error && !data) return <ErrorState error={error} onRetry={() => void refetch()} />;
  if (!data?.me) return <Navigate to={loginPath(location.pathname + location.search)} replace />;
  if (data.me.totpEnrollmentRequired) return <Navigate to="/enroll-totp" replace />;
  return <>{children(data.me)}</>;
}
