import { useApolloClient, useQuery } from '@apollo/client/react';
import { Navigate, useNavigate } from 'react-router';
import { MeDocument } from '../gql/graphql';
import { useT } from '../i18n/LocaleProvider';
import { LoadingState } from '../ui/states';
import { AuthCard } from './AuthCard';
import { TotpSetup } from './TotpSetup';

/** Right after an owner without two-factor signs in: nothing else works until they enroll. */
export function EnrollTotpPage() {
  const t = useT();
  const navigate = useNavigate();
  const client = useApolloClient();
  const { data, loading } = useQuery(MeDocument);
  if (loading && !data) return <LoadingState />;
  if (!data?.me) return <Navigate to="/login" replace />;
  const done = async () => {
    // The same session is now a full one: read `me` again and go in.
    await client.refetchQueries({ include: [MeDocument] });
    navigate('/', { replace: true });
  };
  return (
    <AuthCard title={t('totp.enrollTitle')} subtitle={t('totp.enrollSubtitle')} maw={520}>
      <TotpSetup onDone={() => void done()} />
    </AuthCard>
  );
}
