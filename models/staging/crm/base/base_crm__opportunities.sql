-- Every raw opportunity row, typed, with the reason it cannot be used (if any).
with source_rows as (
    {{ crm_revenue.read_crm_export('opportunity') }}
),

usable_rates as (
    select * from {{ ref('base_crm__dated_conversion_rates') }}
    where rejection_reason is null
),

parsed as (
    select
        *,
        id as opportunity_id,
        coalesce(upper(currencyisocode), '{{ var("corporate_currency") }}') as currency_iso_code,
        {{ crm_revenue.parse_amount('amount') }} as parsed_amount,
        {{ crm_revenue.parse_date('closedate') }} as parsed_close_date,
        {{ crm_revenue.parse_timestamp('createddate') }} as parsed_created_at,
        {{ crm_revenue.parse_timestamp('lastmodifieddate') }} as parsed_last_modified_at,
        {{ crm_revenue.parse_boolean('isclosed') }} as parsed_is_closed,
        {{ crm_revenue.parse_boolean('iswon') }} as parsed_is_won,
        {{ crm_revenue.parse_boolean('isdeleted') }} as parsed_is_deleted,
        {{ crm_revenue.parse_amount('probability') }} as parsed_probability,
        {{ crm_revenue.exact_duplicate_rank('opportunity') }} as exact_duplicate_rank
    from source_rows
),

{{ crm_revenue.rejection_steps(
    checks=[
        ['id is null', 'missing_id'],
        ['parsed_created_at is null', 'unparseable_created_date'],
        [crm_revenue.is_unparseable('lastmodifieddate', 'parsed_last_modified_at'), 'unparseable_last_modified_date'],
        [crm_revenue.is_unparseable('closedate', 'parsed_close_date'), 'unparseable_close_date'],
        [crm_revenue.is_unparseable('amount', 'parsed_amount'), 'unparseable_amount'],
        [crm_revenue.is_unparseable('probability', 'parsed_probability'), 'unparseable_probability'],
        [crm_revenue.is_unparseable('isdeleted', 'parsed_is_deleted') ~ ' or '
                ~ crm_revenue.is_unparseable('isclosed', 'parsed_is_closed') ~ ' or '
                ~ crm_revenue.is_unparseable('iswon', 'parsed_is_won'), 'unparseable_boolean'],
        ['exact_duplicate_rank > 1', 'exact_duplicate'],
        ["currency_iso_code <> '" ~ var('corporate_currency') ~ "' and currency_iso_code not in (select currency_iso_code from usable_rates)", 'no_conversion_rate']
    ],
    key="opportunity_id",
    modified_at="coalesce(parsed_last_modified_at, parsed_created_at)",
    record_id="id",
) }}

select * from final
