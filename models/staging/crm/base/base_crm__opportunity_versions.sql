-- Every raw opportunity version (source_shape scd2: the opportunity table kept as type-2
-- history; empty in the other shapes), typed, with the reason it cannot be used (if any).
with source_rows as (
    {{ crm_revenue.read_crm_export('opportunity_version') }}
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
        {{ crm_revenue.parse_timestamp('source_rows._valid_from') }} as parsed_valid_from,
        {{ crm_revenue.parse_timestamp('source_rows._valid_to') }} as parsed_valid_to,
        {{ crm_revenue.parse_boolean('source_rows._is_active') }} as parsed_is_active,
        {{ crm_revenue.parse_timestamp('source_rows._source_synced_at') }} as parsed_synced_at,
        {{ crm_revenue.exact_duplicate_rank('opportunity_version', ['_valid_from', '_valid_to']) }}
            as exact_duplicate_rank,
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
            when parsed_valid_from is null then 'unparseable_valid_from'
            when {{ crm_revenue.is_unparseable('_valid_to', 'parsed_valid_to') }} then 'unparseable_valid_to'
            when parsed_created_at is null then 'unparseable_created_date'
            when {{ crm_revenue.is_unparseable('lastmodifieddate', 'parsed_last_modified_at') }}
                then 'unparseable_last_modified_date'
            when {{ crm_revenue.is_unparseable('closedate', 'parsed_close_date') }} then 'unparseable_close_date'
            when {{ crm_revenue.is_unparseable('amount', 'parsed_amount') }} then 'unparseable_amount'
            when {{ crm_revenue.is_unparseable('probability', 'parsed_probability') }} then 'unparseable_probability'
            when
                {{ crm_revenue.is_unparseable('isdeleted', 'parsed_is_deleted') }}
                or {{ crm_revenue.is_unparseable('isclosed', 'parsed_is_closed') }}
                or {{ crm_revenue.is_unparseable('iswon', 'parsed_is_won') }}
                or {{ crm_revenue.is_unparseable('_source_deleted', 'parsed_is_source_deleted') }}
                or {{ crm_revenue.is_unparseable('_is_active', 'parsed_is_active') }}
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
        -- two versions of one opportunity cannot start at the same instant: keep the one
        -- loaded last (sync / snapshot time, then the later row)
        {{ crm_revenue.latest_record_rank('opportunity_id, parsed_valid_from', 'parsed_synced_at') }}
            as record_rank
    from checked
),

final as (
    select
        *,
        coalesce(
            pending_reason,
            case when record_rank > 1 then 'duplicate_version_superseded' end
        ) as rejection_reason,
        coalesce(id, '') || '@' || coalesce(_valid_from, '') as record_id
    from ranked
)

select * from final
