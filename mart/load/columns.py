"""The staged relations' columns: each dimension file's, with its YAML section and fields."""

SOURCE_COLUMNS = {
    "source_key": True,
    "title": True,
    "publisher": False,
    "url": False,
    "is_summary": False,
    "published_on": True,
    "body": True,
}
COMPANY_COLUMNS = {
    "company_key": True,
    "company_name": True,
    "fiscal_year_end_month": False,
    "fiscal_year_named_by": False,
}
PRODUCT_COLUMNS = {
    "product_key": True,
    "product_name": True,
    "company_key": True,
    "product_kind": True,
}
SEGMENT_COLUMNS = {"segment_key": True, "segment_name": True, "company_key": True}
ATTRIBUTION_COLUMNS = {"attribution_key": True, "attribution_name": True, "attribution_kind": True}
# Bulk dimension files: stem -> (staged name, columns, YAML section, YAML field per column).
DIMENSIONS = {
    "sources": ("bulk_source", SOURCE_COLUMNS, "source", {"body": "text"}),
    "companies": (
        "bulk_company",
        COMPANY_COLUMNS,
        "companies",
        {"company_key": "key", "company_name": "name"},
    ),
    "products": (
        "bulk_product",
        PRODUCT_COLUMNS,
        "products",
        {
            "product_key": "key",
            "product_name": "name",
            "company_key": "company",
            "product_kind": "kind",
        },
    ),
    "segments": (
        "bulk_segment",
        SEGMENT_COLUMNS,
        "segments",
        {"segment_key": "key", "segment_name": "name", "company_key": "company"},
    ),
    "attributions": (
        "bulk_attribution",
        ATTRIBUTION_COLUMNS,
        "attributions",
        {"attribution_key": "key", "attribution_name": "name", "attribution_kind": "kind"},
    ),
}
REQUIRED_DIMENSIONS = ("sources", "companies")
DIMENSION_FIELDS = {section: fields for _n, _c, section, fields in DIMENSIONS.values()}
# Texts and what is looked for in them are compared in Unicode's composed form (NFC): a quote
# typed with e + combining accent finds the text's composed é. Offsets count NFC characters.
NFC_COLUMNS = ("body", "quote", "wording", "period_wording")
