-- CRM opportunity Types that the opportunity_type_mapping seed does not map: kept as
-- `unknown` and reported here by name (warning) so the seed can be extended.
{{ config(severity='warn') }}

with opportunities as (
    select * from {{ ref('stg_crm__opportunities') }}
),

final as (
    select
        crm_type,
        count(*) as opportunities,
        'add this Type to seeds/opportunity_type_mapping.csv' as hint
    from opportunities
    where is_unmapped_type
    group by crm_type
)

select * from final
{%- if execute %}
{%- set found = run_query("select coalesce(crm_type, '(empty)') from " ~ ref('stg_crm__opportunities') ~ " where is_unmapped_type group by 1 order by 1") %}
{%- if found and found.rows | length > 0 %}
{%- do log("WARNING unmapped opportunity Type values (kept as unknown): " ~ found.columns[0].values() | join(', ') ~ " - add them to seeds/opportunity_type_mapping.csv", info=true) %}
{%- endif %}
{%- endif %}
