-- Every raw user row (optional export), with the reason it cannot be used (if any).
with source_rows as (
    {{ crm_revenue.read_crm_export('user') }}
),

parsed as (
    select
        *,
        {{ crm_revenue.exact_duplicate_rank('user') }} as exact_duplicate_rank
    from source_rows
),

checked as (
    select
        *,
        {{ crm_revenue.first_rejection_reason([
            ['id is null', 'missing_id'],
            ['exact_duplicate_rank > 1', 'exact_duplicate'],
        ]) }} as pending_reason
    from parsed
),

ranked as (
    select
        *,
        {{ crm_revenue.latest_record_rank('id', '_raw_row_number') }} as record_rank
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
