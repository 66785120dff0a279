-- Every raw account row (optional export), with the reason it cannot be used (if any).
with source_rows as (
    {{ crm_revenue.read_crm_export('account') }}
),

parsed as (
    select
        *,
        {{ crm_revenue.exact_duplicate_rank('account') }} as exact_duplicate_rank
    from source_rows
),

{{ crm_revenue.rejection_steps(
    checks=[
        ['id is null', 'missing_id'],
        ['exact_duplicate_rank > 1', 'exact_duplicate']
    ],
    key="id",
    modified_at="_raw_row_number",
    record_id="id",
) }}

select * from final
