// Products (DESIGN §3–§4): every rule of a product row defined once (its fields), used by the fast
// path (`productFast`: the cleaned line) and the reason-collecting path (`decodeProduct`). Law
// (test/core/rows.test.ts): productFast(row)?.line === JSON.stringify(decodeProduct(row).right).
import * as E from 'fp-ts/lib/Either.js';
import { isNonEmpty } from 'fp-ts/lib/ReadonlyArray.js';
import { jsonString } from '../json-text.js';
import type { CleanProduct } from '../records.js';
import type { Checked } from '../validation.js';
import { FAIL, fieldReasons, money, requiredColumns, text, textPart } from './field.js';
import { compact, type RawValues } from './raw.js';

export const PRODUCT = {
  id: text('id', true),
  sku: text('sku', true),
  cost: money('cost', true),
  category: text('category', true),
  retail_price: money('retail_price', true),
  name: text('name', false),
  brand: text('brand', false),
  department: text('department', false),
  distribution_center_id: text('distribution_center_id', false),
};
export const PRODUCT_COLUMNS = requiredColumns(PRODUCT);

export interface ProductOk {
  readonly line: string;
  readonly id: string;
  readonly category: string;
}


export const productFast = (row: RawValues): ProductOk | undefined => {
  const id = PRODUCT.id.parse(row.id);
  const sku = PRODUCT.sku.parse(row.sku);
  const cost = PRODUCT.cost.parse(row.cost);
  const category = PRODUCT.category.parse(row.category);
  const retail = PRODUCT.retail_price.parse(row.retail_price);
  const name = PRODUCT.name.parse(row.name);
  const brand = PRODUCT.brand.parse(row.brand);
  const department = PRODUCT.department.parse(row.department);
  const dc = PRODUCT.distribution_center_id.parse(row.distribution_center_id);
  if (id === FAIL || sku === FAIL || cost === FAIL || category === FAIL || retail === FAIL) return undefined;
  if (name === FAIL || brand === FAIL || department === FAIL || dc === FAIL) return undefined;
  const line =
    `{"id":${jsonString(id!)},"sku":${jsonString(sku!)},"cost_cents":${cost},"category":${jsonString(category!)},"retail_price_cents":${retail}` +
    textPart(',"name":', name) +
    textPart(',"brand":', brand) +
    textPart(',"department":', department) +
    textPart(',"distribution_center_id":', dc) +
    '}';
  return { line, id: id!, category: category! };
};

export const decodeProduct = (row: RawValues): Checked<CleanProduct> => {
  const reasons = fieldReasons(PRODUCT, row);
  if (isNonEmpty(reasons)) return E.left(reasons);
  return E.right(
    compact({
      id: PRODUCT.id.parse(row.id) as string,
      sku: PRODUCT.sku.parse(row.sku) as string,
      cost_cents: PRODUCT.cost.parse(row.cost) as number,
      category: PRODUCT.category.parse(row.category) as string,
      retail_price_cents: PRODUCT.retail_price.parse(row.retail_price) as number,
      name: PRODUCT.name.parse(row.name) as string | undefined,
      brand: PRODUCT.brand.parse(row.brand) as string | undefined,
      department: PRODUCT.department.parse(row.department) as string | undefined,
      distribution_center_id: PRODUCT.distribution_center_id.parse(row.distribution_center_id) as string | undefined,
    }),
  );
};
