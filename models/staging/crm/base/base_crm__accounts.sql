-- Every raw account row (optional export), typed, with the reason it cannot be used (if any).
with source_rows as (
    {{ crm_revenue.read_crm_export('account') }}
),

parsed as (
    select
        *,
        id as account_id,
        cast({{ crm_revenue.parse_amount('numberofemployees', 0) }} as {{ dbt.type_bigint() }})
            as parsed_number_of_employees,
        {{ crm_revenue.parse_boolean('_source_deleted') }} as parsed_is_source_deleted,
        {{ crm_revenue.exact_duplicate_rank('account') }} as exact_duplicate_rank
    from source_rows
),

checked as (
    select
        *,
        case
            when id is null then 'missing_id'
            when {{ crm_revenue.is_unparseable('numberofemployees', 'parsed_number_of_employees') }}
                then 'unparseable_number_of_employees'
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
        {{ crm_revenue.latest_record_rank('account_id', '_raw_row_number') }} as record_rank
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
