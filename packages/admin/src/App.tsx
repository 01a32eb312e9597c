import { lazy } from 'react';
import { Navigate, Route, Routes } from 'react-router';
import { EnrollTotpPage } from './auth/EnrollTotpPage';
import { LoginPage } from './auth/LoginPage';
import { AcceptInvitePage, ForgotPasswordPage, ResetPasswordPage } from './auth/PasswordPages';
import { RequireAuth } from './auth/RequireAuth';
import { Shell } from './layout/Shell';
import { NotFoundPage } from './ui/NotFoundPage';

// Feature pages load on first visit (the shell shows a loading state meanwhile).
const BrandListPage = lazy(() => import('./brands/BrandListPage').then((m) => ({ default: m.BrandListPage })));
const BrandEditorPage = lazy(() => import('./brands/BrandEditorPage').then((m) => ({ default: m.BrandEditorPage })));
const PlansIndexPage = lazy(() => import('./plans/PlansPage').then((m) => ({ default: m.PlansIndexPage })));
const PlansPage = lazy(() => import('./plans/PlansPage').then((m) => ({ default: m.PlansPage })));
const PlanEditorPage = lazy(() => import('./plans/PlanEditorPage').then((m) => ({ default: m.PlanEditorPage })));
const BrandSectionIndex = lazy(() => import('./ui/brand-scope').then((m) => ({ default: m.BrandSectionIndex })));
const PlatformsPage = lazy(() => import('./platforms/PlatformsPage').then((m) => ({ default: m.PlatformsPage })));
const PlatformPage = lazy(() => import('./platforms/PlatformPage').then((m) => ({ default: m.PlatformPage })));
const AccountsPage = lazy(() => import('./accounts/AccountsPage').then((m) => ({ default: m.AccountsPage })));
const AccountPage = lazy(() => import('./accounts/AccountPage').then((m) => ({ default: m.AccountPage })));
const AuditPage = lazy(() => import('./audit/AuditPage').then((m) => ({ default: m.AuditPage })));
const ApiKeysPage = lazy(() => import('./apikeys/ApiKeysPage').then((m) => ({ default: m.ApiKeysPage })));
const StaffPage = lazy(() => import('./staff/StaffPage').then((m) => ({ default: m.StaffPage })));
const OutboxPage = lazy(() => import('./outbox/OutboxPage').then((m) => ({ default: m.OutboxPage })));
const RiskPage = lazy(() => import('./risk/RiskPage').then((m) => ({ default: m.RiskPage })));
const SecurityPage = lazy(() => import('./auth/SecurityPage').then((m) => ({ default: m.SecurityPage })));
const RiskRulesPage = lazy(() => import('./risk-rules/RiskRulesPage').then((m) => ({ default: m.RiskRulesPage })));
const HedgingPage = lazy(() => import('./hedging/HedgingPage').then((m) => ({ default: m.HedgingPage })));

/** Routes under the /admin basename; each feature adds its pages inside the shell (and an entry in layout/nav.ts). */
export function App() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route path="/forgot" element={<ForgotPasswordPage />} />
      <Route path="/invite/:token" element={<AcceptInvitePage />} />
      <Route path="/reset/:token" element={<ResetPasswordPage />} />
      <Route path="/enroll-totp" element={<EnrollTotpPage />} />
      <Route element={<RequireAuth>{(me) => <Shell me={me} />}</RequireAuth>}>
        <Route index element={<Navigate to="/brands" replace />} />
        <Route path="/brands" element={<BrandListPage />} />
        <Route path="/brands/new" element={<BrandEditorPage />} />
        <Route path="/brands/:id" element={<BrandEditorPage />} />
        <Route path="/brands/:brandId/plans" element={<PlansPage />} />
        <Route path="/plans" element={<PlansIndexPage />} />
        <Route path="/plans/:planId" element={<PlanEditorPage />} />
        <Route path="/platforms" element={<BrandSectionIndex section="platforms" />} />
        <Route path="/brands/:brandId/platforms" element={<PlatformsPage />} />
        <Route path="/platforms/:platformId" element={<PlatformPage />} />
        <Route path="/accounts" element={<BrandSectionIndex section="accounts" />} />
        <Route path="/brands/:brandId/accounts" element={<AccountsPage />} />
        <Route path="/accounts/:accountId" element={<AccountPage />} />
        <Route path="/audit" element={<BrandSectionIndex section="audit" />} />
        <Route path="/brands/:brandId/audit" element={<AuditPage />} />
        <Route path="/api-keys" element={<BrandSectionIndex section="api-keys" />} />
        <Route path="/brands/:brandId/api-keys" element={<ApiKeysPage />} />
        <Route path="/risk" element={<BrandSectionIndex section="risk" />} />
        <Route path="/brands/:brandId/risk" element={<RiskPage />} />
        <Route path="/risk-rules" element={<BrandSectionIndex section={'risk-rules' as 'risk'} />} />
        <Route path="/brands/:brandId/risk-rules" element={<RiskRulesPage />} />
        <Route path="/hedging" element={<BrandSectionIndex section={'hedging' as 'risk'} />} />
        <Route path="/brands/:brandId/hedging" element={<HedgingPage />} />
        <Route path="/staff" element={<StaffPage />} />
        <Route path="/outbox" element={<OutboxPage />} />
        <Route path="/security" element={<SecurityPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
