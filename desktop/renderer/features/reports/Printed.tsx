// The register reports (X, Z, ZZ) shown as they print: a narrow paper of labelled lines — sales, tax per rate,
// tenders, refunds, returns, voids and the cash — in the store's currency, so the screen reads like the slip a
// manager is used to. The same figures (RegisterFigures, and the Z's count and variance) as the day close.
import { Divider, Paper, Stack, Text } from '@mantine/core';
import { Fragment, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Wire } from '../../../../shared/api/client';
import type { RegisterFigures } from '../../../../shared/pos/register';
import { useFormat } from '../../app/format';
import { useAppSelector } from '../../app/store';
import { useReportFormat } from './parts';

type Figures = Wire<RegisterFigures> & { countedCash?: number; variance?: number };

function Line({ label, value, strong = false }: { label: string; value: string; strong?: boolean }) {
  return (
    <div className="caja-paper-line" data-strong={strong || undefined}>
      <span>{label}</span>
      <span>{value}</span>
    </div>
  );
}

/** The lines of register figures, in the order of the printed X/Z. */
export function FigureLines({ figures }: { figures: Figures }) {
  const { t } = useTranslation();
  const f = useReportFormat();
  const fmt = useFormat();
  const lang = useAppSelector((s) => s.ui.lang);
  const tenders = useAppSelector((s) => s.catalog.tenders);
  const tenderName = (id: string) => tenders.find((x) => x._id === id)?.name[lang] ?? id;
  const m = (n: number) => f.value('money', n);
  /** What goes out of the drawer or off the sales, with its minus sign (none on a zero). */
  const neg = (n: number) => f.value('money', n === 0 ? 0 : -n);
  const section = (title: string, lines: ReactNode) => (
    <>
      <Divider variant="dashed" my={4} />
      <Text size="xs" fw={700} tt="uppercase">
        {title}
      </Text>
      {lines}
    </>
  );
  return (
    <>
      <Line label={t('reports.paper.sales', { count: figures.salesCount })} value={m(figures.salesTotal)} strong />
      <Line label={t('reports.col.gross')} value={m(figures.grossSales)} />
      <Line label={t('reports.col.discounts')} value={neg(figures.discounts)} />
      <Line label={t('reports.col.netExTax')} value={m(figures.netSalesExTax)} />
      <Line label={t('reports.col.tax')} value={m(figures.taxTotal)} />
      {figures.rounding !== 0 && <Line label={t('reports.col.rounding')} value={m(figures.rounding)} />}
      {figures.taxes.length > 0 &&
        section(
          t('reports.paper.taxes'),
          figures.taxes.map((x) => <Line key={x.rateId} label={`${x.code} (${m(x.basis)})`} value={m(x.amount)} />),
        )}
      {figures.tenders.length > 0 &&
        section(
          t('reports.paper.tenders'),
          figures.tenders.map((x) => <Line key={x.tenderId} label={`${tenderName(x.tenderId)} (${x.count})`} value={m(x.amount)} />),
        )}
      {figures.changeGiven !== 0 && <Line label={t('reports.paper.change')} value={m(figures.changeGiven)} />}
      {section(
        t('reports.paper.returnsVoids'),
        <>
          <Line label={t('reports.paper.returns', { count: figures.returnsCount })} value={neg(figures.returnsTotal)} />
          {figures.refunds.map((x) => (
            <Line key={x.tenderId} label={`  ${tenderName(x.tenderId)} (${x.count})`} value={neg(x.amount)} />
          ))}
          <Line label={t('reports.paper.voids', { count: figures.voidsCount })} value={m(figures.voidsTotal)} />
        </>,
      )}
      {section(
        t('reports.paper.cash'),
        <>
          <Line label={t('reports.paper.float')} value={m(figures.openingFloat)} />
          <Line label={t('reports.paper.cashSales')} value={m(figures.cashSales)} />
          <Line label={t('reports.paper.cashRefunds')} value={neg(figures.cashRefunds)} />
          <Line label={t('reports.paper.cashIn')} value={m(figures.cashIn)} />
          <Line label={t('reports.paper.cashOut')} value={neg(figures.cashOut)} />
          {figures.foreignCash.map((x) => (
            <Line key={x.currency} label={`${t('reports.paper.foreign')} ${x.currency}`} value={fmt.foreignMoney(x.amount, x.currency)} />
          ))}
          <Line label={t('reports.paper.expected')} value={m(figures.expectedCash)} strong />
          {figures.countedCash !== undefined && <Line label={t('reports.paper.counted')} value={m(figures.countedCash)} />}
          {figures.variance !== undefined && <Line label={t('reports.paper.variance')} value={m(figures.variance)} strong />}
        </>,
      )}
    </>
  );
}

/** A printed-looking register report: its title lines, then the figures, then anything after (late arrivals). */
export function Paperslip({ title, lines, label, children }: { title: string; lines: string[]; label: string; children: ReactNode }) {
  return (
    <Paper withBorder shadow="xs" p="md" radius="xs" className="caja-report-paper" role="document" aria-label={label}>
      <Stack gap={2}>
        <Text fw={800} ta="center" size="lg">
          {title}
        </Text>
        {lines.map((l) => (
          <Fragment key={l}>
            <Text ta="center" size="sm">
              {l}
            </Text>
          </Fragment>
        ))}
        <Divider my={4} />
        {children}
      </Stack>
    </Paper>
  );
}
