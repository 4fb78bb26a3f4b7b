// The two KPI tables with the keys of DESIGN §6 (as infra/tables.ts declares them), for tests
// against moto.
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';

export const createKpiTables = async (names: { readonly categoryTable: string; readonly orderTable: string }): Promise<void> => {
  const client = new DynamoDBClient({});
  await client.send(
    new CreateTableCommand({
      TableName: names.categoryTable,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'category', AttributeType: 'S' },
        { AttributeName: 'order_date', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'category', KeyType: 'HASH' },
        { AttributeName: 'order_date', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'by_date',
          KeySchema: [
            { AttributeName: 'order_date', KeyType: 'HASH' },
            { AttributeName: 'category', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    }),
  );
  await client.send(
    new CreateTableCommand({
      TableName: names.orderTable,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'order_date', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'order_date', KeyType: 'HASH' }],
    }),
  );
};
