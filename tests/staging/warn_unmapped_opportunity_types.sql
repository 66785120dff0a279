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
        case
            when crm_type is null then 'Type is empty (see warn_missing_optional_columns if the column is absent)'
            else 'add this Type to seeds/opportunity_type_mapping.csv'
        end as hint
    from opportunities
    where is_unmapped_type
    group by crm_type
)

select * from final
{%- if execute %}
{%- set found = run_query("select crm_type from " ~ ref('stg_crm__opportunities') ~ " where is_unmapped_type and crm_type is not null group by 1 order by 1") %}
{%- if found and found.rows | length > 0 %}
{%- do log("WARNING unmapped opportunity Type values (kept as unknown): " ~ found.columns[0].values() | join(', ') ~ " - add them to seeds/opportunity_type_mapping.csv", info=true) %}
{%- endif %}
{%- set empty = run_query("select count(*) from " ~ ref('stg_crm__opportunities') ~ " where crm_type is null") %}
{%- if empty.columns[0].values()[0] > 0 %}
{%- do log("WARNING " ~ empty.columns[0].values()[0] ~ " opportunities have no Type (kept as unknown); if the export lacks the Type column, warn_missing_optional_columns says so", info=true) %}
{%- endif %}
{%- endif %}
