-- The planning targets, one row per input row, parsed and validated. The input is
-- `<raw_path>/pipeline_targets.csv|.parquet` when that file exists; with raw_path ''
-- the `crm` source table `pipeline_targets` when it exists; else the seed
-- `pipeline_targets`. Every value is read as text so that a bad one can be named:
-- the post-hook fails the build listing each row with an `invalid_reason` (unknown
-- quarter label or type, duplicate row, negative or non-numeric target).
{{ config(post_hook="{{ crm_revenue.raise_invalid_rows(this, 'invalid_reason', 'target_source', 'target_row_number') }}") }}
{%- set columns = ['fiscal_quarter', 'opportunity_type', 'closed_won_target', 'ending_pipeline_target'] %}
{%- set raw_path = var('raw_path', '') %}
{%- set seed_relation = ref('pipeline_targets') %}
{%- if not raw_path %}
    {%- set source_relation = source('crm', 'pipeline_targets') %}
{%- endif %}
{%- set input = {'relation': seed_relation, 'label': 'seeds/pipeline_targets.csv'} %}
{#- in a unit test the seed is a fixture (no schema): read it, never a file -#}
{%- if execute and seed_relation.schema is not none %}
{%- if raw_path %}
{%- set found = crm_revenue.find_crm_export_file(raw_path, 'pipeline_targets') %}
{%- if found is not none %}
            {%- set reader = crm_revenue.crm_export_reader(found) %}
            {%- set present = {} %}
            {%- for row in run_query('describe select * from ' ~ reader) %}
                {%- do present.update({row[0] | lower | trim: row[0]}) %}
            {%- endfor %}
            {%- set missing = columns | reject('in', present) | list %}
            {%- if missing %}
                {{ exceptions.raise_compiler_error(
                    'Planning targets ' ~ found ~ ' lack column(s) ' ~ missing | join(', ')
                    ~ '; expected ' ~ columns | join(', ') ~ '; found ' ~ present.values() | list | join(', ')) }}
            {%- endif %}
            {%- do input.update({'relation': reader, 'label': found, 'names': present}) %}
        {%- endif %}
{%- elif load_relation(source_relation) is not none %}
        {%- do input.update({'relation': source_relation, 'label': 'source crm.pipeline_targets'}) %}
    {%- endif %}
{%- endif %}

with input_rows as (
    select
        {%- for column in columns %}
        {%- set quoted_column = adapter.quote(input.get('names', {}).get(column, column)) %}
        nullif(trim(cast({{ quoted_column }} as {{ dbt.type_string() }})), '') as {{ column }}_text,
        {%- endfor %}
        {{ crm_revenue.raw_row_number(['1'], is_file=true) }} as target_row_number
    from {{ input['relation'] }}
),

calendar as (
    select
        quarter_start_date,
        fiscal_quarter
    from {{ ref('int_fiscal_quarters') }}
),

parsed as (
    select
        input_rows.*,
        calendar.quarter_start_date,
        {{ crm_revenue.parse_amount('input_rows.closed_won_target_text') }} as closed_won_target,
        {{ crm_revenue.parse_amount('input_rows.ending_pipeline_target_text') }} as ending_pipeline_target,
        count(*) over (
            partition by input_rows.fiscal_quarter_text, input_rows.opportunity_type_text
        ) as rows_with_same_key
    from input_rows
    left join calendar
        on input_rows.fiscal_quarter_text = calendar.fiscal_quarter
),

checked as (
    select
        *,
        nullif(concat_ws(
            '; ',
            case
                when fiscal_quarter_text is null then 'missing fiscal_quarter'
                when quarter_start_date is null
                    then
                        'unknown fiscal_quarter ''' || fiscal_quarter_text
                        || ''' (expected a label of int_fiscal_quarters such as FY2027-Q1)'
            end,
            case
                when opportunity_type_text is null then 'missing opportunity_type'
                when opportunity_type_text not in ('acquisition', 'retention', 'upsell', 'cross_sell', 'all')
                    then
                        'unknown opportunity_type ''' || opportunity_type_text
                        || ''' (expected acquisition, retention, upsell, cross_sell or all)'
            end,
            case
                when rows_with_same_key > 1
                    then
                        'duplicate row: ' || cast(rows_with_same_key as {{ dbt.type_string() }})
                        || ' rows for ' || coalesce(fiscal_quarter_text, '(empty)') || ' / '
                        || coalesce(opportunity_type_text, '(empty)')
            end,
            {%- for column in ['closed_won_target', 'ending_pipeline_target'] %}
            case
                when {{ crm_revenue.is_unparseable(column ~ '_text', column) }}
                    then 'non-numeric {{ column }} ''' || {{ column }}_text || ''''
                when {{ column }} < 0
                    then 'negative {{ column }} ' || {{ column }}_text
            end{% if not loop.last %},{% endif %}
            {%- endfor %}
        ), '') as invalid_reason
    from parsed
),

final as (
    select
        -- keys
        quarter_start_date,
        fiscal_quarter_text as fiscal_quarter,
        opportunity_type_text as opportunity_type,
        -- targets (corporate currency; null = no target)
        closed_won_target,
        ending_pipeline_target,
        -- lineage and validation
        '{{ input["label"] }}' as target_source,
        target_row_number,
        invalid_reason
    from checked
)

select * from final
