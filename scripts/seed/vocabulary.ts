// Bilingual vocabularies for the seed catalog: a department tree whose leaves say how to compose product names.
// English reads "<brand> <variant> <item> <size>" ("Lala Whole Milk 1 L"); Spanish reads
// "<item> <variant> <brand> <size>" ("Leche Entera Lala 1 L"). Brands are invented except a few household
// names used as examples; prices are Mexican pesos in centavos (the demo chain's base currency is MXN).

/** A noun, with the grammatical gender of its Spanish form ('f' picks the feminine form of a variant). */
export type Item = readonly [en: string, es: string, gender?: 'm' | 'f'];
/** A modifier; the Spanish side is one form or [masculine, feminine]. */
export type Variant = readonly [en: string, es: string | readonly [string, string]];

export type TaxGroupCode = 'std' | 'zero' | 'snack' | 'alcohol' | 'spirits';

export interface LeafSpec {
  brands: readonly string[];
  items: readonly Item[];
  variants: readonly Variant[];
  /** Sizes, smallest first; identical in both languages ('1 L', '400 g'). Empty string for none. */
  sizes: readonly string[];
  /** Price range in centavos of the smallest size (per kg for weighed goods). */
  price: readonly [number, number];
  /** Relative share of the catalog's products. */
  weight: number;
  /** Sold by weight: unit 'kg', variable-weight barcode, no pack sizes. */
  weighed?: boolean;
}

export interface DeptSpec {
  code: string;
  en: string;
  es: string;
  tax?: TaxGroupCode;
  children?: readonly DeptSpec[];
  leaf?: LeafSpec;
}

const ORGANIC: readonly Variant[] = [['', ''], ['Organic', ['Orgánico', 'Orgánica']]];

export const DEPARTMENTS: readonly DeptSpec[] = [
  {
    code: 'GRO', en: 'Grocery', es: 'Abarrotes', tax: 'zero',
    children: [
      {
        code: 'GRO-PAN', en: 'Pantry', es: 'Despensa',
        children: [
          { code: 'GRO-PAN-RIC', en: 'Rice & Beans', es: 'Arroz y Frijol', leaf: {
            brands: ['Verde Valle', 'La Merced', 'Campo Real', 'Sierra Alta', 'Don Lucio'],
            items: [['Rice', 'Arroz', 'm'], ['Black Beans', 'Frijol Negro', 'm'], ['Pinto Beans', 'Frijol Pinto', 'm'], ['Lentils', 'Lentejas', 'f'], ['Chickpeas', 'Garbanzos', 'm']],
            variants: [['', ''], ['Premium', 'Premium'], ['Select', ['Selecto', 'Selecta']]],
            sizes: ['500 g', '900 g', '1 kg', '2 kg'], price: [1990, 3490], weight: 4 } },
          { code: 'GRO-PAN-PAS', en: 'Pasta', es: 'Pastas', leaf: {
            brands: ['La Moderna', 'Barilla', 'Di Roma', 'Italpasta', 'Tres Estrellas'],
            items: [['Spaghetti', 'Spaghetti', 'm'], ['Penne', 'Penne', 'm'], ['Fusilli', 'Fusilli', 'm'], ['Macaroni', 'Macarrón', 'm'], ['Vermicelli', 'Fideo', 'm'], ['Alphabet Pasta', 'Letras', 'f'], ['Lasagna', 'Lasaña', 'f']],
            variants: [['', ''], ['Whole Wheat', 'Integral'], ['Gluten-Free', 'sin Gluten']],
            sizes: ['200 g', '500 g', '1 kg'], price: [990, 2490], weight: 3 } },
          { code: 'GRO-PAN-OIL', en: 'Oils & Vinegar', es: 'Aceites y Vinagres', leaf: {
            brands: ['Nutrioli', 'Capullo', 'Oleo Sol', 'Carbonell', 'Doña Clara'],
            items: [['Vegetable Oil', 'Aceite Vegetal', 'm'], ['Canola Oil', 'Aceite de Canola', 'm'], ['Olive Oil', 'Aceite de Oliva', 'm'], ['Corn Oil', 'Aceite de Maíz', 'm'], ['Apple Cider Vinegar', 'Vinagre de Manzana', 'm'], ['White Vinegar', 'Vinagre Blanco', 'm']],
            variants: [['', ''], ['Extra Virgin', 'Extra Virgen']],
            sizes: ['500 ml', '946 ml', '1 L', '3 L'], price: [2490, 8990], weight: 3 } },
          { code: 'GRO-PAN-CAN', en: 'Canned Goods', es: 'Enlatados', leaf: {
            brands: ['Herdez', 'La Costeña', 'Del Monte', 'Dolores', 'El Mexicano', 'Mar Azul'],
            items: [['Tuna', 'Atún', 'm'], ['Sardines', 'Sardinas', 'f'], ['Sweet Corn', 'Elote Dorado', 'm'], ['Peas', 'Chícharos', 'm'], ['Jalapeño Peppers', 'Chiles Jalapeños', 'm'], ['Chipotle Peppers', 'Chiles Chipotles', 'm'], ['Refried Beans', 'Frijoles Refritos', 'm'], ['Peaches in Syrup', 'Duraznos en Almíbar', 'm']],
            variants: [['', ''], ['Light', 'Light'], ['in Water', 'en Agua'], ['in Oil', 'en Aceite']],
            sizes: ['140 g', '220 g', '380 g', '800 g'], price: [1290, 3990], weight: 6 } },
          { code: 'GRO-PAN-SAU', en: 'Sauces & Condiments', es: 'Salsas y Condimentos', leaf: {
            brands: ['McCormick', 'Valentina', 'Búfalo', 'Heinz', 'La Anita', 'Clemente Jacques'],
            items: [['Mayonnaise', 'Mayonesa', 'f'], ['Ketchup', 'Catsup', 'f'], ['Hot Sauce', 'Salsa Picante', 'f'], ['Mustard', 'Mostaza', 'f'], ['Green Salsa', 'Salsa Verde', 'f'], ['Mole Paste', 'Mole en Pasta', 'm'], ['Soy Sauce', 'Salsa de Soya', 'f']],
            variants: [['', ''], ['Extra Hot', ['Extra Picante', 'Extra Picante']], ['Lime', 'con Limón'], ['Light', 'Light']],
            sizes: ['150 ml', '370 ml', '700 g', '1 kg'], price: [1590, 4990], weight: 5 } },
        ],
      },
      {
        code: 'GRO-BRK', en: 'Breakfast', es: 'Desayuno',
        children: [
          { code: 'GRO-BRK-CER', en: 'Cereal', es: 'Cereales', leaf: {
            brands: ["Kellogg's", 'Nestlé', 'Quaker', 'Granja Sol', 'Avena Real', 'Nutri Día'],
            items: [['Corn Flakes', 'Hojuelas de Maíz', 'f'], ['Granola', 'Granola', 'f'], ['Oatmeal', 'Avena', 'f'], ['Bran Flakes', 'Hojuelas de Salvado', 'f'], ['Puffed Rice', 'Arroz Inflado', 'm']],
            variants: [['', ''], ['Honey', 'con Miel'], ['Chocolate', 'con Chocolate'], ['Berry', 'con Frutos Rojos'], ['Almond', 'con Almendras']],
            sizes: ['300 g', '500 g', '750 g', '1 kg'], price: [3490, 7990], weight: 4 } },
          { code: 'GRO-BRK-COF', en: 'Coffee & Tea', es: 'Café y Té', leaf: {
            brands: ['Nescafé', 'Café Veracruz', 'Finca Altura', 'Punta del Cielo', 'McCormick', 'Té Real'],
            items: [['Ground Coffee', 'Café Molido', 'm'], ['Instant Coffee', 'Café Soluble', 'm'], ['Coffee Beans', 'Café en Grano', 'm'], ['Coffee Pods', 'Cápsulas de Café', 'f']],
            variants: [['', ''], ['Decaf', ['Descafeinado', 'Descafeinadas']], ['Dark Roast', 'Tostado Oscuro'], ['Organic', ['Orgánico', 'Orgánicas']], ['Chiapas', 'de Chiapas']],
            sizes: ['100 g', '200 g', '400 g', '1 kg'], price: [3990, 9990], weight: 4 } },
        ],
      },
      {
        code: 'GRO-SNK', en: 'Snacks & Sweets', es: 'Botanas y Dulces', tax: 'snack',
        children: [
          { code: 'GRO-SNK-CHP', en: 'Chips', es: 'Papas y Frituras', leaf: {
            brands: ['Sabritas', 'Barcel', 'Crujitos', 'Totopos Lupita', 'Karameladas', 'Doritos'],
            items: [['Potato Chips', 'Papas Fritas', 'f'], ['Tortilla Chips', 'Totopos', 'm'], ['Corn Puffs', 'Churritos', 'm'], ['Pork Rinds', 'Chicharrones', 'm'], ['Peanuts', 'Cacahuates', 'm']],
            variants: [['', ''], ['Lime & Chili', 'Chile y Limón'], ['Salted', ['Salados', 'Saladas']], ['Cheese', 'Queso'], ['Hot', ['Picantes', 'Picantes']]],
            sizes: ['45 g', '120 g', '240 g', '340 g'], price: [1490, 2290], weight: 6 } },
          { code: 'GRO-SNK-CAN', en: 'Candy & Chocolate', es: 'Dulces y Chocolates', leaf: {
            brands: ['Ricolino', 'De la Rosa', 'Carlos V', 'Vero', 'Hershey', 'Larín'],
            items: [['Chocolate Bar', 'Barra de Chocolate', 'f'], ['Gummies', 'Gomitas', 'f'], ['Lollipops', 'Paletas', 'f'], ['Marzipan', 'Mazapán', 'm'], ['Toffees', 'Caramelos', 'm']],
            variants: [['', ''], ['Milk', 'de Leche'], ['Dark', 'Amargo'], ['Tamarind', 'de Tamarindo'], ['Chili', 'Enchilado']],
            sizes: ['28 g', '100 g', '250 g', '500 g'], price: [990, 2490], weight: 5 } },
          { code: 'GRO-SNK-COO', en: 'Cookies', es: 'Galletas', leaf: {
            brands: ['Gamesa', 'Marinela', 'Cuétara', 'Lara', 'Mac Ma', 'Oreo'],
            items: [['Cookies', 'Galletas', 'f'], ['Crackers', 'Galletas Saladas', 'f'], ['Wafers', 'Obleas', 'f'], ['Animal Crackers', 'Animalitos', 'm']],
            variants: [['', ''], ['Chocolate Chip', 'con Chispas de Chocolate'], ['Vanilla', 'de Vainilla'], ['Oat', 'de Avena'], ['Coconut', 'de Coco']],
            sizes: ['120 g', '300 g', '600 g', '1 kg'], price: [1290, 2990], weight: 5 } },
        ],
      },
    ],
  },
  {
    code: 'FRE', en: 'Fresh', es: 'Frescos', tax: 'zero',
    children: [
      {
        code: 'FRE-PRO', en: 'Produce', es: 'Frutas y Verduras',
        children: [
          { code: 'FRE-PRO-FRU', en: 'Fruit', es: 'Frutas', leaf: {
            brands: [''], weighed: true,
            items: [['Hass Avocado', 'Aguacate Hass', 'm'], ['Banana', 'Plátano Tabasco', 'm'], ['Red Apple', 'Manzana Roja', 'f'], ['Green Apple', 'Manzana Verde', 'f'], ['Ataulfo Mango', 'Mango Ataulfo', 'm'], ['Papaya', 'Papaya Maradol', 'f'], ['Pineapple', 'Piña Miel', 'f'], ['Persian Lime', 'Limón Persa', 'm'], ['Orange', 'Naranja Valencia', 'f'], ['Watermelon', 'Sandía', 'f'], ['Cantaloupe', 'Melón Chino', 'm'], ['Strawberries', 'Fresas', 'f'], ['Guava', 'Guayaba', 'f'], ['Pear', 'Pera', 'f'], ['Grapes', 'Uvas', 'f']],
            variants: ORGANIC, sizes: [''], price: [1990, 8990], weight: 1 } },
          { code: 'FRE-PRO-VEG', en: 'Vegetables', es: 'Verduras', leaf: {
            brands: [''], weighed: true,
            items: [['Roma Tomato', 'Jitomate Saladet', 'm'], ['Green Tomatillo', 'Tomate Verde', 'm'], ['White Onion', 'Cebolla Blanca', 'f'], ['Potato', 'Papa Blanca', 'f'], ['Carrot', 'Zanahoria', 'f'], ['Zucchini', 'Calabacita', 'f'], ['Serrano Pepper', 'Chile Serrano', 'm'], ['Poblano Pepper', 'Chile Poblano', 'm'], ['Cucumber', 'Pepino', 'm'], ['Broccoli', 'Brócoli', 'm'], ['Garlic', 'Ajo', 'm'], ['Nopal Cactus', 'Nopal', 'm'], ['Chayote', 'Chayote', 'm'], ['Lettuce', 'Lechuga Romana', 'f']],
            variants: ORGANIC, sizes: [''], price: [1490, 7990], weight: 1 } },
        ],
      },
      {
        code: 'FRE-DAI', en: 'Dairy & Eggs', es: 'Lácteos y Huevo',
        children: [
          { code: 'FRE-DAI-MLK', en: 'Milk', es: 'Leche', leaf: {
            brands: ['Lala', 'Alpura', 'Santa Clara', 'Campo Verde', 'La Vaquita', 'Nutrileche'],
            items: [['Milk', 'Leche', 'f'], ['Evaporated Milk', 'Leche Evaporada', 'f'], ['Almond Drink', 'Bebida de Almendra', 'f']],
            variants: [['Whole', ['Entera', 'Entera']], ['Light', 'Light'], ['Lactose-Free', ['Deslactosada', 'Deslactosada']], ['Skim', ['Descremada', 'Descremada']], ['Chocolate', 'Sabor Chocolate'], ['Vanilla', 'Sabor Vainilla']],
            sizes: ['250 ml', '1 L', '1.5 L', '1.89 L'], price: [890, 1590], weight: 5 } },
          { code: 'FRE-DAI-YOG', en: 'Yogurt', es: 'Yogur', leaf: {
            brands: ['Danone', 'Yoplait', 'Lala', 'Alpura', 'Activia', 'Campo Verde'],
            items: [['Yogurt', 'Yogur', 'm'], ['Drinkable Yogurt', 'Yogur Bebible', 'm'], ['Greek Yogurt', 'Yogur Griego', 'm']],
            variants: [['Plain', 'Natural'], ['Strawberry', 'de Fresa'], ['Peach', 'de Durazno'], ['Mango', 'de Mango'], ['Blueberry', 'de Mora Azul'], ['Vanilla', 'de Vainilla']],
            sizes: ['125 g', '220 g', '1 kg'], price: [790, 1490], weight: 4 } },
          { code: 'FRE-DAI-CHE', en: 'Cheese', es: 'Quesos', leaf: {
            brands: ['Lala', 'Esmeralda', 'Chilchota', 'Noche Buena', 'Président', 'Los Altos'],
            items: [['Cheese', 'Queso', 'm']],
            variants: [['Oaxaca', 'Oaxaca'], ['Manchego', 'Manchego'], ['Panela', 'Panela'], ['Cotija', 'Cotija'], ['Cheddar', 'Cheddar'], ['Mozzarella', 'Mozzarella'], ['Cream', 'Crema'], ['Chihuahua', 'Chihuahua']],
            sizes: ['200 g', '400 g', '800 g'], price: [3490, 6990], weight: 4 } },
          { code: 'FRE-DAI-EGG', en: 'Eggs', es: 'Huevo', leaf: {
            brands: ['Bachoco', 'San Juan', 'El Calvario', 'Gloria', 'Lyncott'],
            items: [['Eggs', 'Huevo', 'm'], ['Large Eggs', 'Huevo Grande', 'm']],
            variants: [['White', 'Blanco'], ['Brown', 'Rojo'], ['Free Range', 'de Libre Pastoreo'], ['Omega 3', 'Omega 3']],
            sizes: ['12 pcs', '18 pcs', '30 pcs'], price: [3290, 5990], weight: 3 } },
        ],
      },
      {
        code: 'FRE-DEL', en: 'Deli', es: 'Salchichonería',
        children: [
          { code: 'FRE-DEL-MEA', en: 'Cold Cuts', es: 'Carnes Frías', leaf: {
            brands: ['FUD', 'San Rafael', 'Zwan', 'Kir'], weighed: true,
            items: [['Ham', 'Jamón', 'm'], ['Salami', 'Salami', 'm'], ['Bologna', 'Mortadela', 'f'], ['Turkey Breast', 'Pechuga de Pavo', 'f'], ['Chorizo', 'Chorizo', 'm'], ['Bacon', 'Tocino', 'm']],
            variants: [['', ''], ['Smoked', ['Ahumado', 'Ahumada']], ['Virginia', 'Virginia']],
            sizes: [''], price: [12900, 34900], weight: 1 } },
          { code: 'FRE-DEL-CHE', en: 'Deli Cheese', es: 'Quesos a Granel', leaf: {
            brands: ['Los Altos', 'Esmeralda', 'Chilchota'], weighed: true,
            items: [['Cheese', 'Queso', 'm']],
            variants: [['Oaxaca', 'Oaxaca'], ['Manchego', 'Manchego'], ['Panela', 'Panela'], ['Aged Cotija', 'Cotija Añejo'], ['Gouda', 'Gouda'], ['Swiss', 'Suizo']],
            sizes: [''], price: [14900, 32900], weight: 1 } },
        ],
      },
      {
        code: 'FRE-BAK', en: 'Bakery', es: 'Panadería',
        children: [
          { code: 'FRE-BAK-BRD', en: 'Bread', es: 'Pan de Caja', leaf: {
            brands: ['Bimbo', 'Wonder', 'Oroweat', 'Del Horno', 'Tía Rosa'],
            items: [['Sandwich Bread', 'Pan de Caja', 'm'], ['Hot Dog Buns', 'Medias Noches', 'f'], ['Burger Buns', 'Pan para Hamburguesa', 'm'], ['Flour Tortillas', 'Tortillas de Harina', 'f'], ['Toast', 'Pan Tostado', 'm']],
            variants: [['White', ['Blanco', 'Blancas']], ['Whole Wheat', ['Integral', 'Integrales']], ['Multigrain', ['Multigrano', 'Multigrano']]],
            sizes: ['400 g', '680 g', '1 kg'], price: [2490, 4490], weight: 3 } },
          { code: 'FRE-BAK-SWE', en: 'Sweet Bread', es: 'Pan Dulce', leaf: {
            brands: ['Bimbo', 'Marinela', 'Del Horno', 'Tía Rosa'],
            items: [['Conchas', 'Conchas', 'f'], ['Muffins', 'Mantecadas', 'f'], ['Donuts', 'Donas', 'f'], ['Pound Cake', 'Panqué', 'm'], ['Cinnamon Rolls', 'Roles de Canela', 'm']],
            variants: [['', ''], ['Chocolate', 'de Chocolate'], ['Vanilla', 'de Vainilla'], ['Pecan', 'con Nuez']],
            sizes: ['2 pcs', '4 pcs', '6 pcs'], price: [1990, 3990], weight: 2 } },
        ],
      },
      { code: 'FRE-MEA', en: 'Meat & Poultry', es: 'Carnes y Aves', leaf: {
        brands: [''], weighed: true,
        items: [['Chicken Breast', 'Pechuga de Pollo', 'f'], ['Chicken Thighs', 'Muslo de Pollo', 'm'], ['Whole Chicken', 'Pollo Entero', 'm'], ['Ground Beef', 'Carne Molida de Res', 'f'], ['Beef Steak', 'Bistec de Res', 'm'], ['Rib Eye', 'Rib Eye', 'm'], ['Pork Loin', 'Lomo de Cerdo', 'm'], ['Pork Chops', 'Chuleta de Cerdo', 'f'], ['Arrachera', 'Arrachera', 'f'], ['Tilapia Fillet', 'Filete de Tilapia', 'm'], ['Shrimp', 'Camarón', 'm']],
        variants: [['', ''], ['Marinated', ['Marinado', 'Marinada']], ['Premium', 'Premium']],
        sizes: [''], price: [8990, 44900], weight: 1 } },
    ],
  },
  {
    code: 'BEV', en: 'Beverages', es: 'Bebidas', tax: 'std',
    children: [
      { code: 'BEV-SOF', en: 'Soft Drinks', es: 'Refrescos', leaf: {
        brands: ['Coca-Cola', 'Pepsi', 'Jarritos', 'Sidral Mundet', 'Peñafiel', 'Big Cola'],
        items: [['Soda', 'Refresco', 'm'], ['Mineral Water', 'Agua Mineral', 'f']],
        variants: [['Cola', 'de Cola'], ['Lime', 'de Limón'], ['Tamarind', 'de Tamarindo'], ['Grapefruit', 'de Toronja'], ['Apple', 'de Manzana'], ['Zero Sugar', 'sin Azúcar']],
        sizes: ['355 ml', '600 ml', '2 L', '3 L'], price: [1290, 1990], weight: 6 } },
      { code: 'BEV-WAT', en: 'Water', es: 'Agua', leaf: {
        brands: ['Bonafont', 'Ciel', 'E-Pura', 'Santa María', 'Epura Kids'],
        items: [['Natural Water', 'Agua Natural', 'f'], ['Flavored Water', 'Agua de Sabor', 'f'], ['Sparkling Water', 'Agua Gasificada', 'f']],
        variants: [['', ''], ['Lemon', 'Limón'], ['Jamaica', 'Jamaica'], ['Cucumber', 'Pepino']],
        sizes: ['600 ml', '1 L', '1.5 L', '5 L'], price: [990, 1690], weight: 3 } },
      { code: 'BEV-JUI', en: 'Juice', es: 'Jugos y Néctares', leaf: {
        brands: ['Jumex', 'Del Valle', 'Boing', 'Santal', 'Jugos del Sur'],
        items: [['Juice', 'Jugo', 'm'], ['Nectar', 'Néctar', 'm']],
        variants: [['Orange', 'de Naranja'], ['Apple', 'de Manzana'], ['Mango', 'de Mango'], ['Guava', 'de Guayaba'], ['Peach', 'de Durazno'], ['Grape', 'de Uva']],
        sizes: ['250 ml', '413 ml', '1 L', '1.89 L'], price: [990, 1990], weight: 4 } },
      {
        code: 'BEV-ALC', en: 'Beer, Wine & Spirits', es: 'Vinos y Licores',
        children: [
          { code: 'BEV-ALC-BEE', en: 'Beer', es: 'Cerveza', tax: 'alcohol', leaf: {
            brands: ['Corona', 'Victoria', 'Modelo', 'Indio', 'Tecate', 'Cervecería del Valle'],
            items: [['Beer', 'Cerveza', 'f']],
            variants: [['Lager', 'Clara'], ['Dark', 'Oscura'], ['Light', 'Light'], ['Amber', 'Ámbar'], ['IPA', 'IPA']],
            sizes: ['355 ml', '473 ml', '710 ml', '940 ml'], price: [1790, 2990], weight: 4 } },
          { code: 'BEV-ALC-WIN', en: 'Wine', es: 'Vino', tax: 'alcohol', leaf: {
            brands: ['L.A. Cetto', 'Casa Madero', 'Monte Xanic', 'Santo Tomás', 'Concha y Toro', 'Marqués de Riscal'],
            items: [['Wine', 'Vino', 'm']],
            variants: [['Red', 'Tinto'], ['White', 'Blanco'], ['Rosé', 'Rosado'], ['Cabernet Sauvignon', 'Cabernet Sauvignon'], ['Merlot', 'Merlot'], ['Sparkling', 'Espumoso']],
            sizes: ['375 ml', '750 ml', '1.5 L'], price: [9900, 24900], weight: 2 } },
          { code: 'BEV-ALC-SPI', en: 'Spirits', es: 'Destilados', tax: 'spirits', leaf: {
            brands: ['José Cuervo', 'Don Julio', 'Bacardí', 'Herradura', 'Montelobos', 'Casa Noble'],
            items: [['Tequila', 'Tequila', 'm'], ['Mezcal', 'Mezcal', 'm'], ['Rum', 'Ron', 'm'], ['Vodka', 'Vodka', 'm']],
            variants: [['Silver', 'Blanco'], ['Reposado', 'Reposado'], ['Añejo', 'Añejo'], ['Gold', 'Dorado']],
            sizes: ['375 ml', '750 ml', '1 L'], price: [14900, 44900], weight: 2 } },
        ],
      },
    ],
  },
  {
    code: 'HOU', en: 'Household', es: 'Hogar', tax: 'std',
    children: [
      {
        code: 'HOU-CLE', en: 'Cleaning', es: 'Limpieza',
        children: [
          { code: 'HOU-CLE-LAU', en: 'Laundry', es: 'Lavandería', leaf: {
            brands: ['Ariel', 'Roma', 'Foca', 'Persil', 'Suavitel', 'Downy'],
            items: [['Laundry Detergent', 'Detergente', 'm'], ['Fabric Softener', 'Suavizante', 'm'], ['Bleach', 'Blanqueador', 'm']],
            variants: [['', ''], ['Liquid', 'Líquido'], ['Powder', 'en Polvo'], ['Lavender', 'Lavanda'], ['Spring Fresh', 'Fresca Primavera']],
            sizes: ['500 g', '1 kg', '3 L', '5 kg'], price: [2490, 5990], weight: 4 } },
          { code: 'HOU-CLE-DIS', en: 'Dishwashing', es: 'Lavatrastes', leaf: {
            brands: ['Axion', 'Salvo', 'Dawn', 'Fairy'],
            items: [['Dish Soap', 'Lavatrastes', 'm'], ['Dishwasher Detergent', 'Detergente para Lavavajillas', 'm']],
            variants: [['', ''], ['Lemon', 'Limón'], ['Antibacterial', 'Antibacterial'], ['Aloe', 'Sábila']],
            sizes: ['400 ml', '750 ml', '1.1 L'], price: [1990, 3990], weight: 2 } },
          { code: 'HOU-CLE-SUR', en: 'Surface Cleaners', es: 'Limpiadores', leaf: {
            brands: ['Fabuloso', 'Pinol', 'Cloralex', 'Maestro Limpio', 'Flash'],
            items: [['All-Purpose Cleaner', 'Limpiador Multiusos', 'm'], ['Pine Cleaner', 'Limpiador de Pino', 'm'], ['Glass Cleaner', 'Limpiavidrios', 'm'], ['Disinfectant', 'Desinfectante', 'm']],
            variants: [['', ''], ['Lavender', 'Lavanda'], ['Citrus', 'Cítricos'], ['Ocean', 'Frescura Marina']],
            sizes: ['500 ml', '1 L', '2 L', '5 L'], price: [1890, 3990], weight: 3 } },
        ],
      },
      { code: 'HOU-PAP', en: 'Paper Goods', es: 'Papel y Desechables', leaf: {
        brands: ['Pétalo', 'Kleenex', 'Regio', 'Suavel', 'Scott'],
        items: [['Toilet Paper', 'Papel Higiénico', 'm'], ['Paper Towels', 'Toallas de Papel', 'f'], ['Napkins', 'Servilletas', 'f'], ['Facial Tissues', 'Pañuelos Desechables', 'm']],
        variants: [['', ''], ['Double Ply', ['Doble Hoja', 'Doble Hoja']], ['Ultra Soft', ['Ultra Suave', 'Ultra Suaves']]],
        sizes: ['4 pcs', '12 pcs', '24 pcs', '32 pcs'], price: [2490, 4990], weight: 3 } },
    ],
  },
  {
    code: 'PER', en: 'Personal Care', es: 'Cuidado Personal', tax: 'std',
    children: [
      { code: 'PER-HAI', en: 'Hair Care', es: 'Cuidado del Cabello', leaf: {
        brands: ['Pantene', 'Head & Shoulders', 'Sedal', 'Herbal Essences', 'Caprice', 'Elvive'],
        items: [['Shampoo', 'Shampoo', 'm'], ['Conditioner', 'Acondicionador', 'm'], ['Hair Gel', 'Gel para Cabello', 'm']],
        variants: [['', ''], ['Anti-Dandruff', 'Anticaspa'], ['Repair', 'Reparación'], ['Curls', 'Rizos'], ['Coconut', 'Coco']],
        sizes: ['200 ml', '400 ml', '750 ml', '1 L'], price: [3490, 7990], weight: 4 } },
      { code: 'PER-ORA', en: 'Oral Care', es: 'Cuidado Bucal', leaf: {
        brands: ['Colgate', 'Crest', 'Oral-B', 'Sensodyne', 'Listerine'],
        items: [['Toothpaste', 'Pasta Dental', 'f'], ['Mouthwash', 'Enjuague Bucal', 'm']],
        variants: [['', ''], ['Whitening', ['Blanqueador', 'Blanqueadora']], ['Sensitive', 'Sensitive'], ['Mint', 'Menta'], ['Kids', 'Kids']],
        sizes: ['75 ml', '150 ml', '250 ml', '500 ml'], price: [2490, 5990], weight: 3 } },
      { code: 'PER-BOD', en: 'Bath & Body', es: 'Baño y Cuerpo', leaf: {
        brands: ['Dove', 'Palmolive', 'Nivea', 'Zest', 'Rexona', 'Teatrical'],
        items: [['Body Wash', 'Gel de Baño', 'm'], ['Body Lotion', 'Crema Corporal', 'f'], ['Liquid Hand Soap', 'Jabón Líquido para Manos', 'm'], ['Roll-On Deodorant', 'Desodorante Roll-On', 'm']],
        variants: [['', ''], ['Aloe', 'Sábila'], ['Oatmeal', 'Avena'], ['Men', 'Men'], ['Sensitive Skin', 'Piel Sensible']],
        sizes: ['50 ml', '150 ml', '400 ml', '750 ml'], price: [1990, 4990], weight: 4 } },
    ],
  },
  {
    code: 'BAB', en: 'Baby', es: 'Bebés', tax: 'std',
    children: [
      { code: 'BAB-DIA', en: 'Diapers & Wipes', es: 'Pañales y Toallitas', leaf: {
        brands: ['Huggies', 'Pampers', 'KleenBebé', 'Chicolastic'],
        items: [['Diapers', 'Pañales', 'm'], ['Baby Wipes', 'Toallitas Húmedas', 'f']],
        variants: [['Newborn', 'Recién Nacido'], ['Stage 3', 'Etapa 3'], ['Stage 4', 'Etapa 4'], ['Stage 5', 'Etapa 5'], ['Sensitive', 'Sensitive']],
        sizes: ['40 pcs', '80 pcs', '120 pcs'], price: [19900, 34900], weight: 2 } },
      { code: 'BAB-FOO', en: 'Baby Food', es: 'Alimento para Bebé', tax: 'zero', leaf: {
        brands: ['Gerber', 'Nestlé', 'Heinz Baby'],
        items: [['Baby Food', 'Papilla', 'f'], ['Infant Formula', 'Fórmula Infantil', 'f'], ['Baby Cereal', 'Cereal Infantil', 'm']],
        variants: [['Apple', 'de Manzana'], ['Pear', 'de Pera'], ['Banana', 'de Plátano'], ['Mixed Vegetables', 'de Verduras'], ['Stage 1', 'Etapa 1'], ['Stage 2', 'Etapa 2']],
        sizes: ['113 g', '227 g', '400 g', '800 g'], price: [1890, 3990], weight: 2 } },
    ],
  },
  {
    code: 'PET', en: 'Pets', es: 'Mascotas', tax: 'std',
    children: [
      { code: 'PET-DOG', en: 'Dog', es: 'Perro', leaf: {
        brands: ['Pedigree', 'Dog Chow', 'Ganador', 'Pro Plan', 'Campeón'],
        items: [['Dog Food', 'Alimento para Perro', 'm'], ['Dog Treats', 'Premios para Perro', 'm']],
        variants: [['Puppy', 'Cachorro'], ['Adult', 'Adulto'], ['Senior', 'Senior'], ['Small Breed', 'Raza Pequeña'], ['Beef', 'sabor Res'], ['Chicken', 'sabor Pollo']],
        sizes: ['100 g', '2 kg', '4 kg', '20 kg'], price: [2490, 4990], weight: 2 } },
      { code: 'PET-CAT', en: 'Cat', es: 'Gato', leaf: {
        brands: ['Whiskas', 'Cat Chow', 'Minino', 'Felix'],
        items: [['Cat Food', 'Alimento para Gato', 'm'], ['Cat Litter', 'Arena para Gato', 'f']],
        variants: [['Kitten', 'Gatito'], ['Adult', 'Adulto'], ['Tuna', 'sabor Atún'], ['Salmon', 'sabor Salmón'], ['Indoor', 'Interior']],
        sizes: ['85 g', '1.5 kg', '3 kg', '10 kg'], price: [1490, 2490], weight: 2 } },
    ],
  },
];

/** Supplier names; each brand is supplied by one of them, chosen deterministically. */
export const SUPPLIERS: readonly { code: string; name: string; city: string }[] = [
  { code: 'abanorte', name: 'Abarrotera del Norte S.A. de C.V.', city: 'monterrey' },
  { code: 'lacbajio', name: 'Lácteos del Bajío S.A. de C.V.', city: 'leon' },
  { code: 'distcentral', name: 'Distribuidora Central de Alimentos', city: 'cdmx' },
  { code: 'frutpacifico', name: 'Frutas y Legumbres del Pacífico', city: 'culiacan' },
  { code: 'bebidasoc', name: 'Bebidas de Occidente S.A. de C.V.', city: 'guadalajara' },
  { code: 'vinosmx', name: 'Vinos y Licores Selectos de México', city: 'ensenada' },
  { code: 'limpiahogar', name: 'Limpieza y Hogar Mayoristas', city: 'puebla' },
  { code: 'cuidadoper', name: 'Cuidado Personal Distribuciones', city: 'queretaro' },
  { code: 'carnesgolfo', name: 'Carnes Selectas del Golfo', city: 'veracruz' },
  { code: 'panificadora', name: 'Panificadora La Espiga', city: 'toluca' },
  { code: 'mascotasmx', name: 'Mascotas y Más Mayoreo', city: 'cdmx' },
  { code: 'importsur', name: 'Importadora del Sur S.A.', city: 'merida' },
];

/** First and last names for demo staff. */
export const FIRST_NAMES: readonly string[] = ['Ana', 'Luis', 'María', 'Jorge', 'Sofía', 'Carlos', 'Lucía', 'Miguel', 'Valeria', 'Diego', 'Fernanda', 'Javier'];
export const LAST_NAMES: readonly string[] = ['López', 'García', 'Hernández', 'Martínez', 'Rodríguez', 'Pérez', 'Sánchez', 'Ramírez', 'Torres', 'Flores'];
