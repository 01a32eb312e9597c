import { Badge } from '@mantine/core';
import { useT } from '../i18n/LocaleProvider';
import { isPlatformKind, isPlatformStatus, platformStatusColor } from './status';

export function PlatformStatusBadge({ status, testId }: { status: string; testId?: string }) {
  const t = useT();
  return (
    <Badge
      color={platformStatusColor(status)}
      variant="dot"
      tt="none"
      miw="max-content"
      data-testid={testId}
      data-status={status}
    >
      {isPlatformStatus(status) ? t(`platforms.status.${status}`) : status}
    </Badge>
  );
}

export function PlatformKindBadge({ kind }: { kind: string }) {
  const t = useT();
  return (
    <Badge variant="outline" color="gray" tt="none" size="sm">
      {isPlatformKind(kind) ? t(`plan.enum.PlatformKind.${kind}`) : kind}
    </Badge>
  );
}
