// What TheLook's catalog looks like: its 26 categories with their share of products (counted in
// ../shared/data/thelook-sample/products.csv), departments, brands and words for product names.

export const CATEGORIES: ReadonlyArray<readonly [string, number]> = [
  ['Active', 202],
  ['Swim', 195],
  ['Tops & Tees', 194],
  ['Shorts', 190],
  ['Fashion Hoodies & Sweatshirts', 144],
  ['Intimates', 124],
  ['Accessories', 119],
  ['Jeans', 95],
  ['Sweaters', 91],
  ['Dresses', 84],
  ['Outerwear & Coats', 82],
  ['Pants', 66],
  ['Underwear', 62],
  ['Socks', 53],
  ['Suits', 49],
  ['Maternity', 39],
  ['Suits & Sport Coats', 35],
  ['Pants & Capris', 34],
  ['Sleep & Lounge', 31],
  ['Socks & Hosiery', 29],
  ['Plus', 26],
  ['Leggings', 22],
  ['Skirts', 20],
  ['Jumpsuits & Rompers', 7],
  ['Blazers & Jackets', 6],
  ['Clothing Sets', 3],
];

export const DEPARTMENTS: ReadonlyArray<string> = ['Women', 'Men'];

export const BRANDS: ReadonlyArray<string> = [
  'Hurley', 'Dickies', 'Patty', 'Southpole', "Alki'i", 'ASICS', 'Rip Curl', 'C-IN2', 'Icebreaker', 'Isotoner',
  'TYR', 'Capezio', 'Matix', 'UltraClub', 'Gildan', 'Harriton', 'Wolverine', 'ECHO', 'J.C. Rags', 'Tahari',
  'VIVILLI', 'MJ Soffe', 'Spanx', 'Lamaze', 'Seven7', '2XU', 'Cuddl Duds', 'Rufskin', 'Carhartt', 'Levi\'s',
];

export const ADJECTIVES: ReadonlyArray<string> = [
  'Classic', 'Slim Fit', 'Relaxed', 'Performance', 'Lightweight', 'Vintage', 'Essential', 'Stretch',
  'Organic Cotton', 'Thermal', 'Quick Dry', 'Heritage', 'Everyday', 'Premium', 'Seamless',
];

export const COLOURS: ReadonlyArray<string> = ['Black', 'Navy', 'Olive', 'Grey', 'White', 'Red', 'Putty', 'Khaki', 'Blue'];
