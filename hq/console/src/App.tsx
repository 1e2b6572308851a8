// Routes of the console. Everything but the login page is behind a session; pages that need a permission
// say so instead of failing request by request.
import { lazy, Suspense, type ReactNode } from 'react';
import { createBrowserRouter } from 'react-router';
import type { Permission } from '../../../shared/auth/permissions';
import { Forbidden, Loading, NotFound, RouteError } from './components/PageState';
import { DepartmentsView } from './features/catalog/DepartmentsView';
import { ProductEditor } from './features/catalog/ProductEditor';
import { ProductsView } from './features/catalog/ProductsView';
import { SpecialsView } from './features/catalog/SpecialsView';
import { SuppliersView, TendersView } from './features/catalog/TendersSuppliersView';
import { SalesRepsView } from './features/catalog/SalesRepsView';
import { TaxesView } from './features/catalog/TaxesView';
import { CustomersView } from './features/customers/CustomersView';
import { HomeRedirect } from './features/dashboard/HomeRedirect';
import { Shell } from './features/layout/Shell';
import { PeopleView, PersonDrawer } from './features/people/PeopleView';
import { ReportsIndex } from './features/reports/ReportsIndex';
import { LoginView } from './features/session/LoginView';
import { usePermissions } from './features/session/permissions';
import { RequireSession } from './features/session/RequireSession';
import { SaleDrawer } from './features/sales/SaleDrawer';
import { SalesView } from './features/sales/SalesView';
import { StoresView } from './features/stores/StoresView';
import { StoreView } from './features/stores/StoreView';

// The dashboard and its charts load when first opened: most of their code is the chart library.
const DashboardView = lazy(async () => ({ default: (await import('./features/dashboard/DashboardView')).DashboardView }));
// The report pages too (issue #13): tables, slips and their own chart chunk.
const ReportPage = lazy(async () => ({ default: (await import('./features/reports/ReportPage')).ReportPage }));

function NeedsPermission({ permission, children }: { permission: Permission; children: ReactNode }) {
  const { can, loading } = usePermissions();
  if (loading) return <Loading />;
  return can(permission) ? children : <Forbidden permission={permission} />;
}

export const router = createBrowserRouter([
  { path: '/login', element: <LoginView />, errorElement: <RouteError /> },
  {
    path: '/',
    errorElement: <RouteError />,
    element: (
      <RequireSession>
        <Shell />
      </RequireSession>
    ),
    children: [
      {
        // Errors inside a page keep the header and navigation around them.
        errorElement: <RouteError />,
        children: [
          { index: true, element: <HomeRedirect /> },
          {
            path: 'dashboard',
            element: (
              <NeedsPermission permission="reports.view">
                <Suspense fallback={<Loading />}>
                  <DashboardView />
                </Suspense>
              </NeedsPermission>
            ),
          },
          {
            path: 'reports',
            element: (
              <NeedsPermission permission="reports.view">
                <ReportsIndex />
              </NeedsPermission>
            ),
          },
          {
            path: 'reports/:name',
            element: (
              <NeedsPermission permission="reports.view">
                <Suspense fallback={<Loading />}>
                  <ReportPage />
                </Suspense>
              </NeedsPermission>
            ),
          },
          { path: 'stores', element: <StoresView /> },
          { path: 'stores/:code', element: <StoreView /> },
          { path: 'catalog', element: <ProductsView />, children: [{ path: ':sku', element: <ProductEditor /> }] },
          { path: 'departments', element: <DepartmentsView /> },
          { path: 'taxes', element: <TaxesView /> },
          { path: 'tenders', element: <TendersView /> },
          { path: 'suppliers', element: <SuppliersView /> },
          { path: 'sales-reps', element: <SalesRepsView /> },
          { path: 'specials', element: <SpecialsView /> },
          {
            path: 'sales',
            element: (
              <NeedsPermission permission="reports.view">
                <SalesView />
              </NeedsPermission>
            ),
            children: [{ path: ':id', element: <SaleDrawer /> }],
          },
          {
            path: 'customers',
            element: (
              <NeedsPermission permission="customers.edit">
                <CustomersView />
              </NeedsPermission>
            ),
          },
          {
            path: 'people',
            element: (
              <NeedsPermission permission="users.manage">
                <PeopleView />
              </NeedsPermission>
            ),
            children: [{ path: ':id', element: <PersonDrawer /> }],
          },
          { path: '*', element: <NotFound /> },
        ],
      },
    ],
  },
]);
