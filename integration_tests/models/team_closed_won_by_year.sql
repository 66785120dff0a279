-- A model of the consuming team's own, built on the package's mart (cross-package ref).
with waterfall as (
    select * from {{ ref('fct_pipeline_waterfall') }}
),

final as (
    select
        extract(year from quarter_start_date) as calendar_year,
        sum(closed_won) as closed_won
    from waterfall
    group by extract(year from quarter_start_date)
)

select * from final
