-- Every raw opportunity row, typed, with the reason it cannot be used (if any).
with source_rows as (
    {{ crm_revenue.read_crm_export('opportunity') }}
),

rate_currencies as (
    select distinct currency_iso_code
    from {{ ref('base_crm__dated_conversion_rates') }}
    where rejection_reason is null
),

parsed as (
    select
        source_rows.*,
        source_rows.id as opportunity_id,
        coalesce(upper(source_rows.currencyisocode), '{{ var("corporate_currency") }}') as currency_iso_code,
        {{ crm_revenue.parse_amount('source_rows.amount') }} as parsed_amount,
        {{ crm_revenue.parse_date('source_rows.closedate') }} as parsed_close_date,
        {{ crm_revenue.parse_timestamp('source_rows.createddate') }} as parsed_created_at,
        {{ crm_revenue.parse_timestamp('source_rows.lastmodifieddate') }} as parsed_last_modified_at,
        {{ crm_revenue.parse_boolean('source_rows.isclosed') }} as parsed_is_closed,
        {{ crm_revenue.parse_boolean('source_rows.iswon') }} as parsed_is_won,
        {{ crm_revenue.parse_boolean('source_rows.isdeleted') }} as parsed_is_deleted,
        {{ crm_revenue.parse_boolean('source_rows._source_deleted') }} as parsed_is_source_deleted,
        {{ crm_revenue.parse_amount('source_rows.probability') }} as parsed_probability,
        {{ crm_revenue.exact_duplicate_rank('opportunity') }} as exact_duplicate_rank,
        rate_currencies.currency_iso_code is not null as has_conversion_rate
    from source_rows
    left join rate_currencies
        on coalesce(upper(source_rows.currencyisocode), '{{ var("corporate_currency") }}')
        = rate_currencies.currency_iso_code
),

checked as (
    select
        *,
        case
            when id is null then 'missing_id'
            when parsed_created_at is null then 'unparseable_created_date'
            when {{ crm_revenue.is_unparseable('lastmodifieddate', 'parsed_last_modified_at') }}
                then 'unparseable_last_modified_date'
            when {{ crm_revenue.is_unparseable('closedate', 'parsed_close_date') }} then 'unparseable_close_date'
            when {{ crm_revenue.is_unparseable('amount', 'parsed_amount') }} then 'unparseable_amount'
            when parsed_amount < 0 then 'negative_amount'
            when {{ crm_revenue.is_unparseable('probability', 'parsed_probability') }} then 'unparseable_probability'
            when
                {{ crm_revenue.is_unparseable('isdeleted', 'parsed_is_deleted') }}
                or {{ crm_revenue.is_unparseable('isclosed', 'parsed_is_closed') }}
                or {{ crm_revenue.is_unparseable('iswon', 'parsed_is_won') }}
                or {{ crm_revenue.is_unparseable('_source_deleted', 'parsed_is_source_deleted') }}
                then 'unparseable_boolean'
            when exact_duplicate_rank > 1 then 'exact_duplicate'
            when currency_iso_code <> '{{ var("corporate_currency") }}' and not has_conversion_rate
                then 'no_conversion_rate'
        end as pending_reason
    from parsed
),

ranked as (
    select
        *,
        {{ crm_revenue.latest_record_rank('opportunity_id', 'coalesce(parsed_last_modified_at, parsed_created_at)') }}
            as record_rank
    from checked
),

final as (
    select
        *,
        coalesce(
            pending_reason,
            case when record_rank > 1 then 'duplicate_id_superseded' end
        ) as rejection_reason,
        id as record_id
    from ranked
)

select * from final
