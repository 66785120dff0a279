-- Stage names that the stage_mapping seed does not map: kept, treated as pre-pipeline,
-- and reported here by name (warning) so the seed can be extended.
{{ config(severity='warn') }}

with states as (
    select * from {{ ref('int_opportunity_states') }}
),

final as (
    select
        stage_name,
        opportunity_type,
        count(distinct opportunity_id) as opportunities,
        'add this StageName to seeds/stage_mapping.csv' as hint
    from states
    where is_unmapped_stage
    group by stage_name, opportunity_type
)

select * from final
{#- the relation is missing when compiling (dbt compile, sqlfluff) before anything is built #}
{%- if execute and load_relation(ref('int_opportunity_states')) is not none %}
{%- set found = run_query(
    "select coalesce(stage_name, '(empty)') from " ~ ref('int_opportunity_states')
    ~ " where is_unmapped_stage group by 1 order by 1"
) %}
{%- if found and found.rows | length > 0 %}
{%- do log(
    "WARNING unmapped StageName values (treated as pre-pipeline): "
    ~ found.columns[0].values() | join(', ') ~ " - add them to seeds/stage_mapping.csv",
    info=true
) %}
{%- endif %}
{%- endif %}
