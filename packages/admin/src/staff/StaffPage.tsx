import { useMutation, useQuery } from '@apollo/client/react';
import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Group,
  Modal,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { apiProblems, mapFieldErrors } from '../api/errors';
import {
  DeactivateStaffDocument,
  InviteStaffDocument,
  RevokeSessionDocument,
  SetStaffGrantsDocument,
  type StaffMemberFieldsFragment,
  StaffMembersDocument,
  StaffSessionsDocument,
} from '../gql/graphql';
import type { MessageId } from '../i18n/locales';
import { useLocale, useT } from '../i18n/LocaleProvider';
import { notify } from '../plans/notify';
import { formatTimestamp } from '../ui/format';
import { EmptyState, ErrorState, LoadingState } from '../ui/states';
import { EVERY_BRAND, fromGrants, type GrantRow, STAFF_ROLES, type StaffRole, toGrantInputs } from './grants';

type Member = StaffMemberFieldsFragment;
type BrandOption = { id: string; name: string };

const roleLabel = (role: string) => `staff.role.${role}` as MessageId;
const STATUS_COLOR: Record<string, string> = { ACTIVE: 'green', INVITED: 'blue', DEACTIVATED: 'gray' };

/** `/staff` (owners): the back office's members, invites, per-brand roles and deactivation. */
export function StaffPage() {
  const t = useT();
  const { data, loading, error, refetch } = useQuery(StaffMembersDocument, { fetchPolicy: 'cache-and-network' });
  const [inviting, setInviting] = useState(false);
  const [editing, setEditing] = useState<Member | null>(null);
  const [leaving, setLeaving] = useState<Member | null>(null);
  const [watching, setWatching] = useState<Member | null>(null);
  if (loading && !data) return <LoadingState />;
  if (error && !data) return <ErrorState error={error} onRetry={() => void refetch()} />;
  if (!data) return null;
  const brands = data.brands;
  const brandName = (id?: string | null) =>
    id ? (brands.find((b) => b.id === id)?.name ?? id) : t('staff.everyBrand');

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{t('staff.title')}</Title>
        <Button onClick={() => setInviting(true)}>{t('staff.invite')}</Button>
      </Group>
      <Table.ScrollContainer minWidth={720}>
        <Table data-testid="staff-table" verticalSpacing="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('staff.column.member')}</Table.Th>
              <Table.Th>{t('staff.column.status')}</Table.Th>
              <Table.Th>{t('staff.column.roles')}</Table.Th>
              <Table.Th>{t('staff.column.twoFactor')}</Table.Th>
              <Table.Th>{t('staff.column.actions')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data.staffMembers.map((m) => (
              <Table.Tr key={m.id} data-testid={`staff-row-${m.email}`}>
                <Table.Td>
                  <Text size="sm" fw={500}>
                    {m.name}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {m.email}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Badge color={STATUS_COLOR[m.status]} variant="dot" tt="none">
                    {t(`staff.status.${m.status}` as MessageId)}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <Stack gap={2}>
                    {m.grants.map((g) => (
                      <Text size="sm" key={`${g.brandId}:${g.role}`}>
                        {t(roleLabel(g.role))} · {brandName(g.brandId)}
                      </Text>
                    ))}
                  </Stack>
                </Table.Td>
                <Table.Td>{m.totpEnabled ? t('security.on') : t('security.off')}</Table.Td>
                <Table.Td>
                  <Group gap="xs" wrap="nowrap">
                    <Button size="compact-sm" variant="default" onClick={() => setEditing(m)}>
                      {t('staff.editRoles')}
                    </Button>
                    <Button size="compact-sm" variant="default" onClick={() => setWatching(m)}>
                      {t('staff.sessions')}
                    </Button>
                    {m.status !== 'DEACTIVATED' && (
                      <Button size="compact-sm" variant="light" color="red" onClick={() => setLeaving(m)}>
                        {t('staff.deactivate')}
                      </Button>
                    )}
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {inviting && <InviteModal brands={brands} onClose={() => setInviting(false)} onDone={() => void refetch()} />}
      {editing && (
        <GrantsModal member={editing} brands={brands} onClose={() => setEditing(null)} onDone={() => void refetch()} />
      )}
      {watching && <SessionsModal member={watching} onClose={() => setWatching(null)} />}
      {leaving && <DeactivateModal member={leaving} onClose={() => setLeaving(null)} onDone={() => void refetch()} />}
    </Stack>
  );
}

/** Roles per brand: one row each, "every brand" for a role that covers all of them. */
function GrantsEditor({
  rows,
  onChange,
  brands,
  error,
}: {
  rows: GrantRow[];
  onChange: (rows: GrantRow[]) => void;
  brands: BrandOption[];
  error?: string;
}) {
  const t = useT();
  const brandOptions = [
    { value: EVERY_BRAND, label: t('staff.everyBrand') },
    ...brands.map((b) => ({ value: b.id, label: b.name })),
  ];
  const roleOptions = STAFF_ROLES.map((r) => ({ value: r, label: t(roleLabel(r)) }));
  const set = (i: number, row: Partial<GrantRow>) => onChange(rows.map((r, j) => (i === j ? { ...r, ...row } : r)));
  return (
    <Stack gap="xs">
      <Text size="sm" fw={500}>
        {t('staff.column.roles')}
      </Text>
      {rows.map((row, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity of their own (a brand and role may repeat while edited)
        <Group key={i} gap="xs" wrap="nowrap" align="flex-end">
          <Select
            label={t('staff.brand')}
            data={brandOptions}
            value={row.brandId}
            allowDeselect={false}
            onChange={(value) => set(i, { brandId: value ?? EVERY_BRAND })}
            style={{ flex: 1 }}
          />
          <Select
            label={t('staff.role')}
            data={roleOptions}
            value={row.role}
            allowDeselect={false}
            onChange={(value) => set(i, { role: (value ?? 'READ_ONLY') as StaffRole })}
            style={{ flex: 1 }}
          />
          <ActionIcon
            variant="default"
            size="lg"
            aria-label={t('staff.removeRole')}
            disabled={rows.length === 1}
            onClick={() => onChange(rows.filter((_, j) => j !== i))}
          >
            ×
          </ActionIcon>
        </Group>
      ))}
      {error && (
        <Text c="red" size="sm" role="alert">
          {error}
        </Text>
      )}
      <Group>
        <Button
          size="compact-sm"
          variant="subtle"
          onClick={() => onChange([...rows, { brandId: brands[0]?.id ?? EVERY_BRAND, role: 'READ_ONLY' }])}
        >
          {t('staff.addRole')}
        </Button>
      </Group>
    </Stack>
  );
}

function InviteModal({ brands, onClose, onDone }: { brands: BrandOption[]; onClose: () => void; onDone: () => void }) {
  const t = useT();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [rows, setRows] = useState<GrantRow[]>([{ brandId: brands[0]?.id ?? EVERY_BRAND, role: 'READ_ONLY' }]);
  const [invite, { loading, error }] = useMutation(InviteStaffDocument);
  const { fieldErrors, formErrors } = mapFieldErrors(apiProblems(error), ['email', 'name', 'grants'] as const);
  return (
    <Modal opened onClose={onClose} title={t('staff.inviteTitle')} size="lg">
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void invite({ variables: { input: { email: email.trim(), name: name.trim(), grants: toGrantInputs(rows) } } })
            .then(() => {
              notify({ message: t('staff.invited', { email: email.trim() }) });
              onDone();
              onClose();
            })
            .catch(() => undefined);
        }}
      >
        <Stack>
          {formErrors.length > 0 && (
            <Alert color="red" role="alert">
              {formErrors.map((e) => e.message).join(' · ')}
            </Alert>
          )}
          <TextInput
            label={t('login.email')}
            type="email"
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
            error={fieldErrors.email}
            data-autofocus
          />
          <TextInput
            label={t('staff.name')}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={fieldErrors.name}
          />
          <GrantsEditor rows={rows} onChange={setRows} brands={brands} error={fieldErrors.grants} />
          <Text size="sm" c="dimmed">
            {t('staff.inviteHint')}
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('staff.cancel')}
            </Button>
            <Button type="submit" loading={loading}>
              {t('staff.sendInvite')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function GrantsModal({
  member,
  brands,
  onClose,
  onDone,
}: {
  member: Member;
  brands: BrandOption[];
  onClose: () => void;
  onDone: () => void;
}) {
  const t = useT();
  const [rows, setRows] = useState<GrantRow[]>(fromGrants(member.grants));
  const [save, { loading, error }] = useMutation(SetStaffGrantsDocument);
  const problems = apiProblems(error);
  return (
    <Modal opened onClose={onClose} title={t('staff.rolesOf', { name: member.name })} size="lg">
      <Stack>
        <GrantsEditor
          rows={rows}
          onChange={setRows}
          brands={brands}
          error={problems.length ? problems.map((p) => p.message).join(' · ') : undefined}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('staff.cancel')}
          </Button>
          <Button
            loading={loading}
            onClick={() =>
              void save({ variables: { staffId: member.id, grants: toGrantInputs(rows) } })
                .then(() => {
                  notify({ message: t('staff.rolesSaved') });
                  onDone();
                  onClose();
                })
                .catch(() => undefined)
            }
          >
            {t('staff.save')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function DeactivateModal({ member, onClose, onDone }: { member: Member; onClose: () => void; onDone: () => void }) {
  const t = useT();
  const [deactivate, { loading, error }] = useMutation(DeactivateStaffDocument);
  const problems = apiProblems(error);
  return (
    <Modal opened onClose={onClose} title={t('staff.deactivateTitle', { name: member.name })}>
      <Stack>
        <Text size="sm">{t('staff.deactivateHint')}</Text>
        {problems.length > 0 && (
          <Alert color="red" role="alert">
            {problems.map((p) => p.message).join(' · ')}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('staff.cancel')}
          </Button>
          <Button
            color="red"
            loading={loading}
            onClick={() =>
              void deactivate({ variables: { staffId: member.id } })
                .then(() => {
                  onDone();
                  onClose();
                })
                .catch(() => undefined)
            }
          >
            {t('staff.deactivate')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** A member's open sessions (owners), each of which can be ended at once. */
function SessionsModal({ member, onClose }: { member: Member; onClose: () => void }) {
  const t = useT();
  const { locale } = useLocale();
  const { data, loading, error, refetch } = useQuery(StaffSessionsDocument, {
    variables: { staffId: member.id },
    fetchPolicy: 'network-only',
  });
  const [revoke] = useMutation(RevokeSessionDocument);
  const sessions = data?.staffSessions ?? [];
  return (
    <Modal opened onClose={onClose} title={t('staff.sessionsOf', { name: member.name })} size="lg">
      {loading && !data ? (
        <LoadingState />
      ) : error && !data ? (
        <ErrorState error={error} onRetry={() => void refetch()} />
      ) : sessions.length === 0 ? (
        <EmptyState title={t('staff.noSessions')} />
      ) : (
        <Stack gap="xs">
          {sessions.map((s) => (
            <Group key={s.id} justify="space-between" wrap="nowrap">
              <div>
                <Text size="sm">{formatTimestamp(s.createdAt, locale)}</Text>
                <Text size="xs" c="dimmed" lineClamp={1}>
                  {[s.ip, s.userAgent].filter(Boolean).join(' · ') || '—'}
                </Text>
              </div>
              <Button
                size="compact-sm"
                variant="default"
                onClick={() =>
                  void revoke({ variables: { id: s.id } }).then(
                    () => refetch(),
                    () => refetch(),
                  )
                }
              >
                {t('security.session.revoke')}
              </Button>
            </Group>
          ))}
        </Stack>
      )}
    </Modal>
  );
}
