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
        {{ crm_revenue.parse_boolean('_source_deleted') }} as parsed_is_source_deleted,
        {{ crm_revenue.parse_timestamp('mql_date__c') }} as parsed_mql_at,
        {{ crm_revenue.parse_timestamp('sal_date__c') }} as parsed_sal_at,
        {{ crm_revenue.exact_duplicate_rank('lead') }} as exact_duplicate_rank
    from source_rows
),

checked as (
    select
        *,
        case
            when id is null then 'missing_id'
            when parsed_created_at is null then 'unparseable_created_date'
            when {{ crm_revenue.is_unparseable('converteddate', 'parsed_converted_at') }}
                then 'unparseable_converted_date'
            when {{ crm_revenue.is_unparseable('mql_date__c', 'parsed_mql_at') }} then 'unparseable_mql_date'
            when {{ crm_revenue.is_unparseable('sal_date__c', 'parsed_sal_at') }} then 'unparseable_sal_date'
            when
                {{ crm_revenue.is_unparseable('isconverted', 'parsed_is_converted') }}
                or {{ crm_revenue.is_unparseable('isdeleted', 'parsed_is_deleted') }}
                or {{ crm_revenue.is_unparseable('_source_deleted', 'parsed_is_source_deleted') }}
                then 'unparseable_boolean'
            when exact_duplicate_rank > 1 then 'exact_duplicate'
        end as pending_reason
    from parsed
),

ranked as (
    select
        *,
        {{ crm_revenue.latest_record_rank('lead_id', 'coalesce(parsed_converted_at, parsed_created_at)') }}
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
