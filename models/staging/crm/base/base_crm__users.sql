-- Every raw user row (optional export), with the reason it cannot be used (if any).
with source_rows as (
    {{ crm_revenue.read_crm_export('user') }}
),

parsed as (
    select
        *,
        id as user_id,
        {{ crm_revenue.parse_boolean('_source_deleted') }} as parsed_is_source_deleted,
        {{ crm_revenue.exact_duplicate_rank('user') }} as exact_duplicate_rank
    from source_rows
),

checked as (
    select
        *,
        case
            when id is null then 'missing_id'
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
        {{ crm_revenue.latest_record_rank('user_id', '_raw_row_number') }} as record_rank
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
