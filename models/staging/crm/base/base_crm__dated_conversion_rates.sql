-- Every raw dated_conversion_rate row, typed, with the reason it cannot be used (if any).
with source_rows as (
    {{ crm_revenue.read_crm_export('dated_conversion_rate') }}
),

parsed as (
    select
        *,
        upper(isocode) as currency_iso_code,
        {{ crm_revenue.parse_amount('conversionrate', 12) }} as conversion_rate,
        {{ crm_revenue.parse_date('startdate') }} as start_date,
        {{ crm_revenue.parse_date('nextstartdate') }} as next_start_date,
        {{ crm_revenue.parse_boolean('_source_deleted') }} as parsed_is_source_deleted,
        {{ crm_revenue.exact_duplicate_rank('dated_conversion_rate') }} as exact_duplicate_rank
    from source_rows
),

checked as (
    select
        *,
        case
            when isocode is null then 'missing_iso_code'
            when {{ crm_revenue.is_unparseable('conversionrate', 'conversion_rate') }}
                then 'unparseable_conversion_rate'
            when conversion_rate is null or conversion_rate <= 0
                then 'missing_or_non_positive_conversion_rate'
            when {{ crm_revenue.is_unparseable('startdate', 'start_date') }} or start_date is null
                then 'unparseable_start_date'
            when {{ crm_revenue.is_unparseable('nextstartdate', 'next_start_date') }}
                then 'unparseable_next_start_date'
            when {{ crm_revenue.is_unparseable('_source_deleted', 'parsed_is_source_deleted') }}
                then 'unparseable_boolean'
            when parsed_is_source_deleted then 'deleted_in_source'
            when exact_duplicate_rank > 1 then 'exact_duplicate'
        end as pending_reason
    from parsed
),

ranked as (
    select
        *,
        {{ crm_revenue.latest_record_rank('currency_iso_code, start_date', '_raw_row_number') }}
            as record_rank
    from checked
),

final as (
    select
        *,
        coalesce(
            pending_reason,
            case when record_rank > 1 then 'duplicate_key_superseded' end
        ) as rejection_reason,
        coalesce(isocode, '') || '@' || coalesce(startdate, '') as record_id
    from ranked
)

select * from final
