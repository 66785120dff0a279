-- Every raw lead row, typed, with the reason it cannot be used (if any).
with source_rows as (
    {{ crm_revenue.read_crm_export('lead') }}
),

parsed as (
    select
        *,
        id as lead_id,
        {{ crm_revenue.parse_timestamp('createddate') }} as parsed_created_at,
        {{ crm_revenue.parse_boolean('isconverted') }} as parsed_is_converted,
        {{ crm_revenue.parse_timestamp('converteddate') }} as parsed_converted_at,
        {{ crm_revenue.parse_boolean('isdeleted') }} as parsed_is_deleted,
        {{ crm_revenue.parse_timestamp('mql_date__c') }} as parsed_mql_at,
        {{ crm_revenue.parse_timestamp('sal_date__c') }} as parsed_sal_at,
        {{ crm_revenue.exact_duplicate_rank('lead') }} as exact_duplicate_rank
    from source_rows
),

{{ crm_revenue.rejection_steps(
    checks=[
        ['id is null', 'missing_id'],
        ['parsed_created_at is null', 'unparseable_created_date'],
        [crm_revenue.is_unparseable('converteddate', 'parsed_converted_at'), 'unparseable_converted_date'],
        [crm_revenue.is_unparseable('mql_date__c', 'parsed_mql_at'), 'unparseable_mql_date'],
        [crm_revenue.is_unparseable('sal_date__c', 'parsed_sal_at'), 'unparseable_sal_date'],
        [crm_revenue.is_unparseable('isconverted', 'parsed_is_converted') ~ ' or '
                ~ crm_revenue.is_unparseable('isdeleted', 'parsed_is_deleted'), 'unparseable_boolean'],
        ['exact_duplicate_rank > 1', 'exact_duplicate']
    ],
    key="lead_id",
    modified_at="coalesce(parsed_converted_at, parsed_created_at)",
    record_id="id",
) }}

select * from final
