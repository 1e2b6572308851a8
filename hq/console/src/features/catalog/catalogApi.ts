// The catalog: a paged, searchable product list (GET /console/products, cursor by SKU), one product
// (GET /products/:sku) and an edit that carries the revision it was made on (PATCH /console/products/:sku;
// 409 `stale_edit` with the current version when someone saved in between).
import { api } from '../../api/api';
import { hq } from '../../api/routes';
import type { ProductDoc, ProductEdit, ProductPage } from '../../api/types';

export const PRODUCT_PAGE = 200;

export const catalogApi = api.injectEndpoints({
  endpoints: (build) => ({
    products: build.infiniteQuery<ProductPage, string, string | null>({
      infiniteQueryOptions: {
        initialPageParam: null,
        getNextPageParam: (last) => last.nextCursor,
      },
      query: ({ queryArg, pageParam }) => ({ ...hq('GET', '/api/v1/console/products'), params: { q: queryArg, limit: PRODUCT_PAGE, ...(pageParam ? { cursor: pageParam } : {}) } }),
      providesTags: ['ProductList'],
    }),
    product: build.query<ProductDoc, string>({
      query: (sku) => hq('GET', '/api/v1/products/:sku', { sku }),
      providesTags: (_p, _e, sku) => [{ type: 'Product', id: sku }],
    }),
    editProduct: build.mutation<ProductDoc, ProductEdit>({
      query: ({ sku, ...body }) => ({ ...hq('PATCH', '/api/v1/console/products/:sku', { sku }), body }),
      invalidatesTags: (_p, _e, { sku }) => [{ type: 'Product', id: sku }, 'ProductList'],
    }),
  }),
});

export const { useProductsInfiniteQuery, useProductQuery, useEditProductMutation } = catalogApi;
