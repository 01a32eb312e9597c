import { type NotificationData, notifications } from '@mantine/notifications';

/**
 * The designer's notices: at the bottom, so that they never cover the Save and Publish buttons at
 * the top of the editor (the console's default place for notices is the top right).
 */
export function notify(data: NotificationData) {
  return notifications.show({ position: 'bottom-right', ...data });
}
